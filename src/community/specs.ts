import type { Config } from '../config';
import type { Destination } from '../chat/adapter';
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
        destinations: channels(config, environmentChannels(config), 'announce'),
        organizers: channels(config, environmentChannels(config), 'organizers'),
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
    destinations: channels(config, c, 'announce', `${c.slug}/`),
    organizers: channels(config, c, 'organizers', `${c.slug}/`),
    publicUrl: `${config.http.publicUrl}${COMMUNITY_PATH}${c.slug}`,
    importsCacheDir: importsCacheDir(config.databasePath, c.slug),
    slack: c.slack,
    discord: c.discord,
  }));
}

type ChannelBlock = { announce: string[]; organizers?: string };

/** The one community's channels: SLACK_/DISCORD_ANNOUNCE_CHANNELS and _ORGANIZERS_CHANNEL. */
function environmentChannels(config: Config): { slack?: ChannelBlock; discord?: ChannelBlock } {
  const block = (c: { announceChannels: string[]; organizersChannel?: string } | undefined) => c && { announce: c.announceChannels, organizers: c.organizersChannel };
  return { slack: block(config.slack), discord: block(config.discord) };
}

/**
 * A community's announce or organizers' channels on the platforms this deployment runs, and the console's when it
 * is on ("announcements" and "organizers", under the community's slug when there are several).
 */
function channels(config: Config, c: { slack?: ChannelBlock; discord?: ChannelBlock }, which: 'announce' | 'organizers', consolePrefix = ''): Destination[] {
  const of = (block: ChannelBlock | undefined) => (which === 'announce' ? (block?.announce ?? []) : block?.organizers ? [block.organizers] : []);
  return [
    ...(config.slack ? of(c.slack).map((channel) => ({ platform: 'slack' as const, channel })) : []),
    ...(config.discord ? of(c.discord).map((channel) => ({ platform: 'discord' as const, channel })) : []),
    ...(config.console ? [{ platform: 'console' as const, channel: `${consolePrefix}${which === 'announce' ? 'announcements' : 'organizers'}` }] : []),
  ];
}
