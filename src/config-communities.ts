import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CommunityDiscord, CommunitySlack } from './catalogue/settings';
import type { Env } from './config-env';
import { GIT_URL, type EventsSourceConfig } from './config-events';
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
export function communitiesConfig(e: Env, problems: string[]): CommunityConfig[] | undefined {
  const dir = e.COMMUNITIES_DIR;
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
      if (settings?.repository) community.events = repository(settings.repository, name, file, e, problems);
    }
    communities.push(community);
  }
  if (communities.length === 0 && problems.length === 0) problems.push(`COMMUNITIES_DIR: ${dir} has no community folders (each needs its settings.yml and events/)`);
  claimedOnce(communities, problems);
  return communities;
}

/**
 * A community whose posts live in its website's repository (`repository:` in its settings.yml): cloned beside the
 * database (one folder per community), followed like EVENTS_SOURCE (EVENTS_POLL_MINUTES, and pushes to
 * /c/<slug>/webhooks/git signed with WEBHOOK_SECRET).
 */
function repository(repo: { url: string; branch: string; path: string }, slug: string, file: string, e: Env, problems: string[]): EventsSourceConfig {
  if (!GIT_URL.test(repo.url)) problems.push(`COMMUNITIES_DIR: ${file}: repository.url "${repo.url}" is not a git URL (https://..., ssh://..., git@host:repo, file://...)`);
  else if (/^\w+:\/\/[^/@]*:[^/@]*@/.test(repo.url) && !repo.url.startsWith('https://')) problems.push(`COMMUNITIES_DIR: ${file}: repository.url: credentials in the URL are only sent over https://`);
  if (repo.path.split('/').includes('..') || repo.path.startsWith('/')) problems.push(`COMMUNITIES_DIR: ${file}: repository.path "${repo.path}" must be a folder inside the repository, e.g. content/events`);
  const stateDir = path.join(e.DATABASE_PATH === ':memory:' ? 'var' : path.dirname(e.DATABASE_PATH), 'communities', slug);
  return { kind: 'git', url: repo.url, branch: repo.branch, path: repo.path.replace(/^\/+|\/+$/g, ''), pollMinutes: e.EVENTS_POLL_MINUTES, webhookSecret: e.WEBHOOK_SECRET, stateDir };
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
