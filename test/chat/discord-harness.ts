/**
 * Starts the real DiscordChat (discord.js client) against a FakeDiscord for the end-to-end tests in
 * test/chat/discord*.test.ts: the commands are registered with the fake first (as `npm run deploy-commands`
 * does), so interactions carry option types the way Discord sends them.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { DiscordConfig } from '../../src/config';
import type { CommandDefinition, CommandServices } from '../../src/commands/definition';
import { createDispatcher } from '../../src/chat/dispatch';
import { DiscordChat } from '../../src/chat/discord/adapter';
import type { DiscordDispatcher } from '../../src/chat/discord/interactions';
import { toApplicationCommands } from '../../src/chat/discord/commands';
import type { Logger } from '../../src/log';
import { FakeDiscord, type FakeDiscordOptions, type InteractionHandle } from '../fakes/discord';
import { HttpServer } from '../../src/http/server';
import { lazyMemoryDb } from '../helpers/db';
import { SeenRequests } from '../../src/store/seen-requests';
import { DISCORD_INTERACTIONS_PATH } from '../../src/chat/discord/http-interactions';

export const ANNOUNCE_CHANNEL = '1300000000000000001';
export const ORGANIZERS_CHANNEL = '1300000000000000002';
export const ORGANIZER_ROLE = '1500000000000000001';

export interface DiscordBot {
  discord: FakeDiscord;
  chat: DiscordChat;
  /** Log lines the adapter wrote (JSON objects). */
  logs: Record<string, unknown>[];
  /** With `httpInteractions`: the bot's HTTP server and the endpoint URL the fake posts interactions to. */
  endpoint?: string;
  stop(): Promise<void>;
}

/** A pino logger writing into an array, so tests can assert what the adapter told operators. */
export function capturingLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: process.env.DISCORD_TEST_LOG ?? 'info' }, sink), lines };
}

export function discordConfig(discord: FakeDiscord, overrides: Partial<DiscordConfig> = {}): DiscordConfig {
  return {
    token: discord.token,
    applicationId: discord.applicationId,
    guildId: discord.guildId,
    apiUrl: discord.apiUrl,
    announceChannels: [ANNOUNCE_CHANNEL],
    organizersChannel: ORGANIZERS_CHANNEL,
    organizerRoleId: ORGANIZER_ROLE,
    syncScheduledEvents: false,
    ...overrides,
  };
}

export async function startDiscordBot(options: {
  commands: Map<string, CommandDefinition>;
  services?: CommandServices;
  dispatcher?: DiscordDispatcher;
  config?: Partial<DiscordConfig>;
  ackBudgetMs?: number;
  fake?: FakeDiscordOptions;
  /** Leave the commands unregistered (as before the first `npm run deploy-commands`). */
  skipDeploy?: boolean;
  /** Interactions over HTTP (DISCORD_PUBLIC_KEY and the bot's HTTP server) instead of the gateway. */
  httpInteractions?: boolean;
}): Promise<DiscordBot> {
  const discord = await FakeDiscord.start({ channels: [ANNOUNCE_CHANNEL, ORGANIZERS_CHANNEL], ...options.fake });
  discord.roles.set(ORGANIZER_ROLE, 'Organizers');
  const { log, lines } = capturingLogger();
  if (!options.skipDeploy) await registerCommands(discord, options.commands);
  const dispatcher = options.dispatcher ?? createDispatcher(options.commands, options.services!, log);
  const http = options.httpInteractions ? new HttpServer({ host: '127.0.0.1', port: 0, log }) : undefined;
  const chat = new DiscordChat({
    config: discordConfig(discord, { ...(http ? { publicKey: discord.publicKeyHex } : {}), ...options.config }),
    commands: options.commands,
    dispatcher,
    log,
    restOptions: { retries: 2, offset: 0, timeout: 5_000 },
    ackBudgetMs: options.ackBudgetMs ?? 200,
    http,
    seenRequests: http ? new SeenRequests(lazyMemoryDb()) : undefined,
  });
  await http?.start();
  await chat.start();
  const endpoint = http ? `${http.url}${DISCORD_INTERACTIONS_PATH}` : undefined;
  discord.useInteractionsEndpoint(endpoint);
  return {
    discord,
    chat,
    logs: lines,
    endpoint,
    stop: async () => {
      await chat.stop();
      await http?.stop();
      await discord.close();
    },
  };
}

async function registerCommands(discord: FakeDiscord, commands: Map<string, CommandDefinition>): Promise<void> {
  const res = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(commands.values())),
  });
  if (!res.ok) throw new Error(`registering commands with the fake failed: ${res.status} ${await res.text()}`);
  discord.requests.length = 0;
}

/**
 * The answer the member ends up seeing: the first callback's message, or, when the bot deferred (type 5, because
 * the work took longer than its answer budget, as a slow database on a loaded machine can), the original response
 * once the bot has edited it, or the follow-up that replaced it when the answer wanted the other visibility.
 */
export async function answerSeen(handle: InteractionHandle): Promise<Record<string, unknown>> {
  const first = await handle.firstCallback;
  if (first.type !== 5) return first.data ?? {};
  const LOADING = 128;
  const { state } = handle;
  const answered = () => (state.originalDeleted ? state.followUps[0] : state.original && (state.original.flags & LOADING) === 0 ? state.original : undefined);
  await waitUntil(() => answered() !== undefined, 'the deferred answer');
  const { content, embeds, components, flags } = answered()!;
  return { content, embeds, components, flags };
}

/** Waits until a condition holds (for things that happen after an answer, like a follow-up). */
export async function waitUntil(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
