import { existsSync, statSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { ConfigError } from './config-error';
import { EnvSchema, type Env } from './config-env';
import { eventsSource, type EventsSourceConfig } from './config-events';
import { communitiesConfig, type CommunityConfig } from './config-communities';
import { discordPublicKey } from './chat/discord/interaction-signature';
import { slackConfig, type SlackConfig } from './config-slack';

export type { SlackConfig } from './config-slack';

/*
 * The bot's configuration as the rest of the code sees it, assembled from the validated environment
 * (config-env.ts) with the checks that span variables: a Slack token needs its secret, a data folder must exist.
 */

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
  announceChannels: string[];
  organizersChannel?: string;
  organizerRoleId?: string;
  syncScheduledEvents: boolean;
  /**
   * DISCORD_PUBLIC_KEY: interactions arrive at /discord/interactions on the bot's HTTP server (the portal's
   * Interactions Endpoint URL) instead of over the gateway, so any process can answer and none keeps a gateway
   * connection.
   */
  publicKey?: string;
  /** DISCORD_SHARD_COUNT (default 1): gateway shards, each held by one replica at a time (without DISCORD_PUBLIC_KEY). */
  shardCount?: number;
}

export interface Config {
  dataDir: string;
  databasePath: string;
  /** PostgreSQL connection URL; when set, the store is PostgreSQL and DATABASE_PATH is not used. */
  databaseUrl?: string;
  /** Overrides the time zone in data/settings.yml when set. */
  timeZone?: string;
  logLevel: Env['LOG_LEVEL'];
  logFile?: string;
  /** metricsToken: the bearer token /metrics requires; without one only loopback scrapers get /metrics. */
  http: { host: string; port: number; publicUrl: string; metricsToken?: string };
  console: boolean;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  /** claimSeconds: how long a replica's claim on an outbox row lasts; settleSeconds: how long lookups of an unknown outcome settle. */
  schedule: { cron: string; graceMinutes: number; onChange: 'edit' | 'update'; claimSeconds: number; settleSeconds: number };
  events: EventsSourceConfig;
  /** Days after a meetup ends before its RSVPs (names, answers) are deleted. */
  rsvp: { retentionDays: number };
  /** COMMUNITIES_DIR's communities; undefined: the one community of DATA_DIR, on the URLs it always had. */
  communities?: CommunityConfig[];
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

  if (e.COMMUNITIES_DIR) {
    // DATA_DIR is not read: every community has its own folder.
  } else if (!existsSync(e.DATA_DIR)) problems.push(`DATA_DIR: ${e.DATA_DIR} does not exist; point it at the folder with settings.yml and events/`);
  else if (!statSync(e.DATA_DIR).isDirectory()) problems.push(`DATA_DIR: ${e.DATA_DIR} is a file, not the data folder`);
  if (e.BOT_TIMEZONE && !IANAZone.isValidZone(e.BOT_TIMEZONE)) problems.push(`BOT_TIMEZONE: unknown time zone "${e.BOT_TIMEZONE}"`);

  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HTTP_HOST}:${e.HTTP_PORT}`).replace(/\/+$/, '');
  const slack: SlackConfig | undefined = slackConfig(e, publicUrl, problems);

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
      publicKey: e.DISCORD_PUBLIC_KEY,
      shardCount: e.DISCORD_SHARD_COUNT,
    };
    if (e.DISCORD_PUBLIC_KEY) {
      try {
        discordPublicKey(e.DISCORD_PUBLIC_KEY);
      } catch (error) {
        problems.push(`DISCORD_PUBLIC_KEY: ${(error as Error).message}`);
      }
    }
  } else if (e.DISCORD_PUBLIC_KEY) {
    problems.push('DISCORD_TOKEN: required when DISCORD_PUBLIC_KEY is set (answers and posts still go through the bot token)');
  }

  const events = eventsSource(e, problems);
  const communities = communitiesConfig(e, problems);
  if (communities && e.EVENTS_SOURCE) problems.push('EVENTS_SOURCE: not used with COMMUNITIES_DIR (each community reads the events/ folder in its own sub-folder); unset one of them');

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

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
    schedule: {
      cron: e.SCHEDULE_CRON,
      graceMinutes: e.CATCHUP_GRACE_MINUTES,
      onChange: e.ANNOUNCE_CHANGES,
      claimSeconds: e.DELIVERY_CLAIM_SECONDS,
      settleSeconds: e.DELIVERY_SETTLE_SECONDS,
    },
    events,
    rsvp: { retentionDays: e.RSVP_RETENTION_DAYS },
    communities,
  };
}

/** The value that was refused, for variables that hold no secret (a token's value never reaches the log). */
function shown(env: Record<string, string | undefined>, name: unknown): string {
  const value = typeof name === 'string' ? env[name] : undefined;
  if (value === undefined || /TOKEN|SECRET|DATABASE_URL/.test(String(name))) return '';
  return ` (got "${value.length > 60 ? `${value.slice(0, 60)}…` : value}")`;
}
