import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { CommandDefinition } from '../commands/definition';
import type { ChatAdapter } from '../chat/adapter';
import type { Dispatcher } from '../chat/dispatch';
import { ConsoleChat } from '../chat/console/console';
import type { HttpServer } from '../http/server';
import type { SeenRequests } from '../store/seen-requests';
import type { Db } from '../store/db';
import { channelsOf } from '../config-communities';
import { Lease, monotonic } from '../schedule/lease';

export interface ChatAdapterParts {
  commands: Map<string, CommandDefinition>;
  dispatcher: Dispatcher;
  log: Logger;
  http: HttpServer;
  seenRequests: SeenRequests;
  /** The bot's database: Slack's installed workspaces (OAuth) live there. */
  db: Db;
  input?: Readable;
  output?: Writable;
}

/**
 * The chat adapters the config turns on. Bolt and discord.js are loaded only when their platform is
 * configured, so a console-only or Discord-only bot starts sooner and holds less memory.
 */
export async function chatAdapters(config: Config, parts: ChatAdapterParts): Promise<ChatAdapter[]> {
  const { commands, dispatcher, log } = parts;
  const adapters: ChatAdapter[] = [];
  if (config.slack) {
    const { SlackChat } = await import('../chat/slack/adapter');
    // Without SLACK_PORT, Slack's request URL is on the bot's one HTTP server.
    const http = config.slack.port === undefined ? parts.http : undefined;
    const installations = config.slack.oauth ? await slackInstallations(parts.db, config.slack.oauth.encryptionKey, log) : undefined;
    adapters.push(new SlackChat({ config: config.slack, commands, dispatcher, log, http, seenRequests: parts.seenRequests, installations, channelTeams: slackChannelTeams(config) }));
  }
  if (config.discord) {
    const { DiscordChat } = await import('../chat/discord/adapter');
    // One gateway session per shard across every process on the database: each shard's holder keeps a lease.
    const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const shardLease = (shard: number) => new Lease(parts.db, `discord-shard:${shard}`, holder, monotonic);
    adapters.push(new DiscordChat({ config: config.discord, commands, dispatcher, log, http: parts.http, seenRequests: parts.seenRequests, shardLease }));
  }
  if (config.console) {
    adapters.push(new ConsoleChat({ input: parts.input ?? process.stdin, output: parts.output ?? process.stdout, dispatcher, commands, log }));
  }
  return adapters;
}

/** The installation store on the bot's database, its tokens sealed with SLACK_TOKEN_ENCRYPTION_KEY. */
async function slackInstallations(db: Db, key: string, log: Logger) {
  const [{ SlackInstallations }, { SecretBox }] = await Promise.all([import('../chat/slack/installations'), import('../store/secret-box')]);
  return new SlackInstallations(db, new SecretBox(key), undefined, log);
}

/** Each community's Slack channels with the workspace its settings.yml names: posts there use that token. */
function slackChannelTeams(config: Config): Map<string, string> {
  const teams = new Map<string, string>();
  for (const c of config.communities ?? []) if (c.slack?.team) for (const channel of channelsOf(c.slack)) teams.set(channel, c.slack.team);
  return teams;
}
