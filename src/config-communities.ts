import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CommunityDiscord, CommunitySlack } from './catalogue/settings';
import type { EventsSourceConfig } from './config-events';
import { formatDiagnostic } from './sources/diagnostics';
import { parseSettingsText, SETTINGS_FILE } from './sources/settings';

/** One community of a deployment that serves several: a data folder of its own and where it lives in chat. */
export interface CommunityConfig {
  /** The folder's name: its URLs (/c/<slug>/calendar.ics) and its keys in the shared database. */
  slug: string;
  dataDir: string;
  events: EventsSourceConfig;
  slack?: CommunitySlack;
  discord?: CommunityDiscord;
}

/** Lower-case letters, digits and dashes: safe in a URL path, a database key and a SQL LIKE pattern. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;

/**
 * COMMUNITIES_DIR: every sub-folder is one community's data folder (settings.yml, announcements.yml, events/,
 * sources.yml). Each settings.yml's `slack:` and `discord:` blocks say which workspace, server and channels are
 * the community's; they are read here, once, so a broken block or two communities claiming one server stop the
 * start with the file and line. Undefined without COMMUNITIES_DIR: the one community of DATA_DIR.
 */
export function communitiesConfig(dir: string | undefined, problems: string[]): CommunityConfig[] | undefined {
  if (dir === undefined) return undefined;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push(`COMMUNITIES_DIR: ${dir} is not a folder; point it at the folder with one sub-folder per community`);
    return [];
  }
  const communities: CommunityConfig[] = [];
  for (const name of readdirSync(dir).sort()) {
    const dataDir = path.join(dir, name);
    if (name.startsWith('.') || !statSync(dataDir).isDirectory()) continue;
    if (!SLUG.test(name)) {
      problems.push(`COMMUNITIES_DIR: ${dataDir}: a community's folder name is its URL, so only a-z, 0-9 and - (e.g. sre-munich)`);
      continue;
    }
    const community: CommunityConfig = { slug: name, dataDir, events: { kind: 'folder', dir: dataDir, path: 'events' } };
    const file = path.join(dataDir, SETTINGS_FILE);
    if (existsSync(file)) {
      const { settings, diagnostics } = parseSettingsText(readFileSync(file, 'utf8'), file);
      for (const d of diagnostics.filter((x) => x.severity === 'error')) problems.push(`COMMUNITIES_DIR: ${formatDiagnostic(d)}`);
      community.slack = settings?.slack;
      community.discord = settings?.discord;
    }
    communities.push(community);
  }
  if (communities.length === 0 && problems.length === 0) problems.push(`COMMUNITIES_DIR: ${dir} has no community folders (each needs its settings.yml and events/)`);
  claimedOnce(communities, problems);
  return communities;
}

/** A server, workspace or channel answers from one community: two claiming the same one is refused. */
function claimedOnce(communities: CommunityConfig[], problems: string[]): void {
  const owners = new Map<string, string>();
  const claim = (what: string, slug: string) => {
    const earlier = owners.get(what);
    if (earlier !== undefined && earlier !== slug) problems.push(`COMMUNITIES_DIR: ${what} is claimed by both ${earlier} and ${slug} (${SETTINGS_FILE}); give it to one of them`);
    owners.set(what, slug);
  };
  for (const c of communities) {
    if (c.discord?.guild) claim(`Discord server ${c.discord.guild}`, c.slug);
    for (const channel of channelsOf(c.discord)) claim(`Discord channel ${channel}`, c.slug);
    for (const channel of channelsOf(c.slack)) claim(`Slack channel ${channel}`, c.slug);
  }
  // Several communities may share a workspace when each names its channels; one without channels owns it whole.
  const byTeam = new Map<string, CommunityConfig[]>();
  for (const c of communities) if (c.slack?.team) byTeam.set(c.slack.team, [...(byTeam.get(c.slack.team) ?? []), c]);
  for (const [team, sharing] of byTeam) {
    if (sharing.length > 1 && sharing.some((c) => channelsOf(c.slack).length === 0)) {
      problems.push(`COMMUNITIES_DIR: Slack workspace ${team} is shared by ${sharing.map((c) => c.slug).join(', ')}: each of them needs its channels (announce, organizers or channels) in ${SETTINGS_FILE}`);
    }
  }
}

/** Every channel a community names on one platform: commands typed there answer from it. */
export function channelsOf(block: CommunitySlack | CommunityDiscord | undefined): string[] {
  if (!block) return [];
  return [...new Set([...block.announce, ...(block.organizers ? [block.organizers] : []), ...block.channels])];
}
