import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * Everything the process reads from its environment, validated once at start-up. Nothing else reads
 * process.env. With an empty environment the bot runs on embedded defaults: local SQLite file, feeds on
 * 127.0.0.1, the console chat. Slack and Discord switch on when their credentials are present.
 */
const list = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => (v === '' ? fallback : ['true', '1', 'yes'].includes(v)));
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
// Only web URLs: `ftp:` or `javascript:` would pass z.url() and fail much later, far from the variable.
const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL');
const port = z.coerce.number().int().min(0).max(65535);

/** Where the database lives when DATABASE_PATH is unset (relative to the working directory). */
export const DEFAULT_DATABASE_PATH = 'var/sremuc.db';

const EnvSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  /** PostgreSQL instead of the SQLite file: postgres://user:password@host:5432/database. */
  DATABASE_URL: optional.pipe(
    z
      .string()
      .refine((v) => /^postgres(?:ql)?:\/\/[^/]/.test(v) && URL.canParse(v), 'must be a PostgreSQL URL: postgres://user:password@host:5432/database')
      .optional(),
  ),
  BOT_TIMEZONE: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Logs to this file instead of stderr; on a terminal with the console chat they go to var/sremuc.log by default. */
  LOG_FILE: optional,
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8080),
  PUBLIC_URL: optional.pipe(url.optional()),
  METRICS_TOKEN: optional,
  CONSOLE_CHAT: z.enum(['auto', 'true', 'false']).default('auto'),

  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_MODE: z.enum(['http', 'socket']).default('http'),
  /** Unset: Slack's /slack/events is served on HTTP_PORT with everything else. Set: Bolt listens there itself. */
  SLACK_PORT: optional.pipe(port.optional()),
  SLACK_API_URL: optional.pipe(url.optional()),
  SLACK_ANNOUNCE_CHANNELS: list,
  SLACK_ORGANIZERS_CHANNEL: optional,
  SLACK_ORGANIZER_USER_IDS: list,
  SLACK_ORGANIZER_USERGROUP: optional,

  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: optional.pipe(url.optional()),
  DISCORD_ANNOUNCE_CHANNELS: list,
  DISCORD_ORGANIZERS_CHANNEL: optional,
  DISCORD_ORGANIZER_ROLE_ID: optional,
  DISCORD_SYNC_SCHEDULED_EVENTS: bool(true),

  SCHEDULE_CRON: z
    .string()
    .default('* * * * *')
    .refine((expr) => validCron(expr), 'not a cron expression node-cron accepts, e.g. "* * * * *" (every minute)'),
  CATCHUP_GRACE_MINUTES: z.coerce.number().int().min(0).default(120),
  ANNOUNCE_CHANGES: z.enum(['edit', 'update']).default('edit'),

  EVENTS_SOURCE: optional,
  EVENTS_BRANCH: z.string().min(1).default('main'),
  EVENTS_PATH: optional,
  EVENTS_POLL_MINUTES: z.coerce.number().min(0).default(5),
  WEBHOOK_SECRET: optional,

  RSVP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

/** Every variable the bot reads; .env.example must document each (a test keeps them in step). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

export interface SlackConfig {
  botToken: string;
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  /** A port of Slack's own; undefined serves /slack/events on the bot's HTTP server. */
  port?: number;
  apiUrl?: string;
  announceChannels: string[];
  organizersChannel?: string;
  organizerUserIds: string[];
  organizerUsergroup?: string;
}

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
  announceChannels: string[];
  organizersChannel?: string;
  organizerRoleId?: string;
  syncScheduledEvents: boolean;
}

/**
 * Where the meetups come from. A folder (the data folder unless EVENTS_SOURCE names another), or a git
 * repository cloned into the state folder and followed by polling and push webhooks.
 */
export type EventsSourceConfig =
  | { kind: 'folder'; dir: string; path: string }
  | { kind: 'git'; url: string; branch: string; path: string; pollMinutes: number; webhookSecret?: string; stateDir: string };

/** `https://`, `http://`, `file://`, `git://`, `ssh://` and scp-like `git@host:repo` are repositories; anything else is a folder. */
export const GIT_URL = /^(?:(?:https?|file|git|ssh):\/\/|[\w.-]+@[\w.-]+:)/i;

export interface Config {
  dataDir: string;
  databasePath: string;
  /** PostgreSQL connection URL; when set, the store is PostgreSQL and DATABASE_PATH is not used. */
  databaseUrl?: string;
  /** Overrides the time zone in data/settings.yml when set. */
  timeZone?: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  logFile?: string;
  /** metricsToken: the bearer token /metrics requires; without one only loopback scrapers get /metrics. */
  http: { host: string; port: number; publicUrl: string; metricsToken?: string };
  console: boolean;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  schedule: { cron: string; graceMinutes: number; onChange: 'edit' | 'update' };
  events: EventsSourceConfig;
  /** Days after a meetup ends before its RSVPs (names, answers) are deleted. */
  rsvp: { retentionDays: number };
}

/** The config for a command-line entry point: a bad environment is explained on stderr and exits with 2. */
export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
    process.exit(2);
  }
}

export { ConfigError };

/** Reads and validates the configuration. Throws ConfigError naming each bad or missing variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${shown(env, i.path[0])}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const need = (name: keyof typeof e, why: string) => {
    if (!e[name]) problems.push(`${name}: required ${why}`);
  };

  if (!existsSync(e.DATA_DIR)) problems.push(`DATA_DIR: ${e.DATA_DIR} does not exist; point it at the folder with settings.yml and events/`);
  else if (!statSync(e.DATA_DIR).isDirectory()) problems.push(`DATA_DIR: ${e.DATA_DIR} is a file, not the data folder`);
  if (e.BOT_TIMEZONE && !isValidZone(e.BOT_TIMEZONE)) problems.push(`BOT_TIMEZONE: unknown time zone "${e.BOT_TIMEZONE}"`);

  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN) {
    if (e.SLACK_MODE === 'http') need('SLACK_SIGNING_SECRET', 'when SLACK_BOT_TOKEN is set and SLACK_MODE=http');
    else need('SLACK_APP_TOKEN', 'when SLACK_MODE=socket');
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      mode: e.SLACK_MODE,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      port: e.SLACK_PORT,
      apiUrl: e.SLACK_API_URL,
      announceChannels: e.SLACK_ANNOUNCE_CHANNELS,
      organizersChannel: e.SLACK_ORGANIZERS_CHANNEL,
      organizerUserIds: e.SLACK_ORGANIZER_USER_IDS,
      organizerUsergroup: e.SLACK_ORGANIZER_USERGROUP,
    };
  } else if (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  }

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN) {
    need('DISCORD_APPLICATION_ID', 'when DISCORD_TOKEN is set');
    discord = {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID ?? '',
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL,
      announceChannels: e.DISCORD_ANNOUNCE_CHANNELS,
      organizersChannel: e.DISCORD_ORGANIZERS_CHANNEL,
      organizerRoleId: e.DISCORD_ORGANIZER_ROLE_ID,
      syncScheduledEvents: e.DISCORD_SYNC_SCHEDULED_EVENTS,
    };
  }

  const events = eventsSource(e, problems);

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HTTP_HOST}:${e.HTTP_PORT}`).replace(/\/+$/, '');
  return {
    dataDir: e.DATA_DIR,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    timeZone: e.BOT_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, publicUrl, metricsToken: e.METRICS_TOKEN },
    console: e.CONSOLE_CHAT === 'true' || (e.CONSOLE_CHAT === 'auto' && !slack && !discord),
    slack,
    discord,
    schedule: { cron: e.SCHEDULE_CRON, graceMinutes: e.CATCHUP_GRACE_MINUTES, onChange: e.ANNOUNCE_CHANGES },
    events,
    rsvp: { retentionDays: e.RSVP_RETENTION_DAYS },
  };
}

/**
 * EVENTS_PATH defaults to `events` in the data folder (today's layout) and to Hugo's `content/events` in a
 * website's folder or repository. The clone lives beside the database (the bot's state folder).
 */
function eventsSource(e: z.infer<typeof EnvSchema>, problems: string[]): EventsSourceConfig {
  const relative = (p: string) => p.replace(/^\/+|\/+$/g, '');
  if (e.EVENTS_PATH !== undefined && (e.EVENTS_PATH.split('/').includes('..') || e.EVENTS_PATH.startsWith('/'))) {
    problems.push(`EVENTS_PATH: "${e.EVENTS_PATH}" must be a folder inside EVENTS_SOURCE, e.g. content/events`);
  }
  if (!e.EVENTS_SOURCE) return { kind: 'folder', dir: e.DATA_DIR, path: relative(e.EVENTS_PATH ?? 'events') };
  if (!GIT_URL.test(e.EVENTS_SOURCE)) return { kind: 'folder', dir: e.EVENTS_SOURCE, path: relative(e.EVENTS_PATH ?? 'content/events') };
  if (/^\w+:\/\/[^/@]*:[^/@]*@/.test(e.EVENTS_SOURCE) && !e.EVENTS_SOURCE.startsWith('https://')) {
    problems.push('EVENTS_SOURCE: credentials in the URL are only sent over https://');
  }
  return {
    kind: 'git',
    url: e.EVENTS_SOURCE,
    branch: e.EVENTS_BRANCH,
    path: relative(e.EVENTS_PATH ?? 'content/events'),
    pollMinutes: e.EVENTS_POLL_MINUTES,
    webhookSecret: e.WEBHOOK_SECRET,
    stateDir: e.DATABASE_PATH === ':memory:' ? 'var' : path.dirname(e.DATABASE_PATH),
  };
}

/** The value that was refused, for variables that hold no secret (a token's value never reaches the log). */
function shown(env: Record<string, string | undefined>, name: unknown): string {
  const value = typeof name === 'string' ? env[name] : undefined;
  if (value === undefined || /TOKEN|SECRET|DATABASE_URL/.test(String(name))) return '';
  return ` (got "${value.length > 60 ? `${value.slice(0, 60)}…` : value}")`;
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
