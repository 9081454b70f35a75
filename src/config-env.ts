import { validate as validCron } from 'node-cron';
import { z } from 'zod';

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

export const EnvSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  /** Several communities in one deployment: one sub-folder (a DATA_DIR of its own) per community. */
  COMMUNITIES_DIR: optional,
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
  /** A distributed app installed by workspaces through OAuth (instead of SLACK_BOT_TOKEN). */
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_TOKEN_ENCRYPTION_KEY: optional,

  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: optional.pipe(url.optional()),
  DISCORD_ANNOUNCE_CHANNELS: list,
  DISCORD_ORGANIZERS_CHANNEL: optional,
  DISCORD_ORGANIZER_ROLE_ID: optional,
  DISCORD_SYNC_SCHEDULED_EVENTS: bool(true),
  DISCORD_PUBLIC_KEY: optional,
  /** Gateway shards of the bot (Discord wants one per 2,500 servers); replicas elect one holder of each. */
  DISCORD_SHARD_COUNT: z.coerce.number().int().min(1).max(1024).default(1),

  SCHEDULE_CRON: z
    .string()
    .default('* * * * *')
    .refine((expr) => validCron(expr), 'not a cron expression node-cron accepts, e.g. "* * * * *" (every minute)'),
  CATCHUP_GRACE_MINUTES: z.coerce.number().int().min(0).default(120),
  ANNOUNCE_CHANGES: z.enum(['edit', 'update']).default('edit'),
  DELIVERY_CLAIM_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  DELIVERY_SETTLE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),

  EVENTS_SOURCE: optional,
  EVENTS_BRANCH: z.string().min(1).default('main'),
  EVENTS_PATH: optional,
  EVENTS_POLL_MINUTES: z.coerce.number().min(0).default(5),
  WEBHOOK_SECRET: optional,

  RSVP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

/** Every variable the bot reads; .env.example must document each (a test keeps them in step). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

export type Env = z.infer<typeof EnvSchema>;
