import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config-error';
import type { EventsSourceConfig } from '../config-events';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { RULES_FILE, type AnnouncementRules } from '../schedule/rules';
import { loadAnnouncementRules } from '../schedule/rules-file';
import { loadRules } from '../schedule/rules-reload';
import type { Diagnostic } from './diagnostics';
import { GitFollower, type OrganizerReport } from './follow';
import { GitCheckout, gitVersion, redactUrl } from './git';
import { SETTINGS_FILE } from './settings';
import { DataSource, type DataSourceOptions } from './watch';
import type { Removals } from './removals';
import type { ParseCacheStore } from './parse-cache-store';

export interface EventsSource {
  data: DataSource;
  /** The announcement rules in service, from the repository when it has announcements.yml, else the data folder. */
  rules: () => AnnouncementRules;
  /** Present for a git repository: what /healthz shows and what webhooks poke. */
  follower?: GitFollower;
  /** Whether the first fetch still has to run at start (an earlier checkout is being served meanwhile). */
  fetchAtStart: boolean;
}

export interface OpenSourceOptions {
  events: EventsSourceConfig;
  dataDir: string;
  timeZone?: string;
  log: Logger;
  clock: Clock;
  notify: OrganizerReport;
  /** Holds upcoming meetups whose post was deleted until an organizer confirms. */
  removals?: Removals;
  /** Where parsed posts are kept between runs, so a restart with unchanged posts does not parse them again. */
  parseCache?: ParseCacheStore;
}

/**
 * Opens the configured source: the data folder as today, another folder (a website checkout), or a git
 * repository, cloned at start unless an earlier run left a checkout (which is served while it is fetched).
 * The bot's settings.yml and announcements.yml are read from the source's root when it has them (a repository
 * carrying the bot's settings), else from the data folder, file by file.
 */
export async function openEventsSource(options: OpenSourceOptions): Promise<EventsSource> {
  const { events, dataDir, log } = options;
  const storedParses = await readStoredParses(options);
  if (events.kind === 'folder') {
    const custom = !(path.resolve(events.dir) === path.resolve(dataDir) && events.path === 'events');
    const root = events.dir;
    const data = new DataSource(dataDir, log, {
      timeZone: options.timeZone,
      removals: options.removals,
      storedParses,
      ...(custom ? { events: { dir: path.join(root, events.path), prefix: events.path }, settingsDir: preferring(root, dataDir, SETTINGS_FILE) } : {}),
    });
    return { data, rules: rulesFrom(preferring(root, dataDir, RULES_FILE), log), fetchAtStart: false };
  }

  try {
    log.info({ git: await gitVersion() }, 'using the git binary');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const checkout = new GitCheckout({ url: events.url, branch: events.branch, stateDir: events.stateDir });
  const existing = await checkout.existing();
  if (!existing) {
    try {
      const { revision } = await checkout.sync();
      log.info({ source: redactUrl(events.url), branch: events.branch, revision: revision.sha, dir: checkout.dir }, 'website repository cloned');
    } catch (error) {
      throw new ConfigError(`EVENTS_SOURCE: cannot clone ${redactUrl(events.url)} (branch ${events.branch}, EVENTS_BRANCH): ${(error as Error).message}\nCheck the URL, the branch and the read token or deploy key (GIT_SSH_COMMAND).`);
    }
  } else {
    log.info({ source: redactUrl(events.url), revision: existing.sha, dir: checkout.dir }, 'serving the earlier checkout of the website repository until it is fetched');
  }
  const root = checkout.dir;
  const data = new DataSource(dataDir, log, {
    timeZone: options.timeZone,
    events: { dir: path.join(root, events.path), prefix: events.path },
    settingsDir: preferring(root, dataDir, SETTINGS_FILE),
    watchEvents: false,
    removals: options.removals,
    storedParses,
  });
  const rulesDir = preferring(root, dataDir, RULES_FILE);
  const follower = new GitFollower({
    checkout,
    data,
    url: events.url,
    branch: events.branch,
    pollMinutes: events.pollMinutes,
    clock: options.clock,
    log,
    notify: options.notify,
    removals: options.removals,
    extraDiagnostics: () => rulesDiagnostics(rulesDir()),
  });
  return { data, rules: rulesFrom(rulesDir, log), follower, fetchAtStart: existing !== undefined };
}

/** The stored parse results, if any; a database that cannot be read costs a full parse, not the start. */
async function readStoredParses(options: OpenSourceOptions): Promise<DataSourceOptions['storedParses']> {
  const store = options.parseCache;
  if (!store) return undefined;
  try {
    return { rows: await store.read(), save: (changes) => store.save(changes) };
  } catch (error) {
    options.log.warn({ err: error }, 'could not read the stored parsed posts; parsing every post');
    return { rows: new Map(), save: (changes) => store.save(changes) };
  }
}

/** The source's copy of a file when it has one, else the data folder's. */
function preferring(root: string, dataDir: string, file: string): () => string {
  return () => (existsSync(path.join(root, file)) ? root : dataDir);
}

/** Rules from whichever folder holds announcements.yml now; each folder's last good rules are kept. */
function rulesFrom(dir: () => string, log: Logger): () => AnnouncementRules {
  const byDir = new Map<string, () => AnnouncementRules>();
  return () => {
    const folder = dir();
    let rules = byDir.get(folder);
    if (!rules) byDir.set(folder, (rules = loadRules(folder, log)));
    return rules();
  };
}

/** announcements.yml's problems, for the report on a revision (a missing file is a choice, not a problem). */
export function rulesDiagnostics(dir: string): Diagnostic[] {
  const file = path.join(dir, RULES_FILE);
  return existsSync(file) ? loadAnnouncementRules(file, RULES_FILE).diagnostics : [];
}
