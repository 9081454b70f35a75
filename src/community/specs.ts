import type { Config } from '../config';
import type { CommunityConfig } from '../config-communities';
import type { Destination } from '../chat/adapter';
import { announcementDestinations, organizerDestinations } from '../bot/destinations';
import { importsCacheDir, type CommunitySpec } from './community';
import { SINGLE_COMMUNITY } from './scope';

/** The URL segment of a community's feeds and page: /c/<slug>/calendar.ics. */
export const COMMUNITY_PATH = '/c/';

/**
 * The communities a configuration describes. Without COMMUNITIES_DIR, one: DATA_DIR with the channels of the
 * environment, on PUBLIC_URL as always. With it, one per folder, each with the channels its settings.yml names on
 * the platforms that are configured, on PUBLIC_URL/c/<slug>.
 */
export function communitySpecs(config: Config): CommunitySpec[] {
  const shared = { timeZone: config.timeZone, rsvpRetentionDays: config.rsvp.retentionDays };
  if (!config.communities) {
    return [
      {
        ...shared,
        id: SINGLE_COMMUNITY,
        dataDir: config.dataDir,
        events: config.events,
        destinations: announcementDestinations(config),
        organizers: organizerDestinations(config),
        publicUrl: config.http.publicUrl,
        importsCacheDir: importsCacheDir(config.databasePath),
        discord: config.discord?.guildId ? { guild: config.discord.guildId, announce: [], channels: [] } : undefined,
      },
    ];
  }
  return config.communities.map((c) => ({
    ...shared,
    id: c.slug,
    slug: c.slug,
    dataDir: c.dataDir,
    events: c.events,
    destinations: channels(config, c, 'announce'),
    organizers: channels(config, c, 'organizers'),
    publicUrl: `${config.http.publicUrl}${COMMUNITY_PATH}${c.slug}`,
    importsCacheDir: importsCacheDir(config.databasePath, c.slug),
    slack: c.slack,
    discord: c.discord,
  }));
}

/** A community's announce or organizers' channels on the platforms this deployment runs (console: one per community). */
function channels(config: Config, c: CommunityConfig, which: 'announce' | 'organizers'): Destination[] {
  const of = (block: { announce: string[]; organizers?: string } | undefined) => (which === 'announce' ? (block?.announce ?? []) : block?.organizers ? [block.organizers] : []);
  return [
    ...(config.slack ? of(c.slack).map((channel) => ({ platform: 'slack' as const, channel })) : []),
    ...(config.discord ? of(c.discord).map((channel) => ({ platform: 'discord' as const, channel })) : []),
    ...(config.console ? [{ platform: 'console' as const, channel: `${c.slug}/${which === 'announce' ? 'announcements' : 'organizers'}` }] : []),
  ];
}
