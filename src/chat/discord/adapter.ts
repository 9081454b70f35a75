import { Client, Events, GatewayIntentBits, RESTEvents, Routes, type APIUser, type ClientOptions, type RateLimitData, type RESTOptions } from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../log';
import type { CommandDefinition } from '../../commands/definition';
import type { ChatAdapter } from '../adapter';
import { rejectedToken } from '../../startup-errors';
import { DiscordPoster } from './posting';
import { InteractionHandler, type DiscordDispatcher } from './interactions';
import { checkRegisteredCommands } from './registered-commands';
import type { HttpRoutes } from '../../http/server';
import { DISCORD_INTERACTIONS_PATH, discordInteractionsRoute, type InteractionsRouteOptions } from './http-interactions';
import { discordPublicKey } from './interaction-signature';
import { GatewayShards, type ShardLease } from './gateway-shards';

export interface DiscordChatOptions {
  config: DiscordConfig;
  /** Every loaded command; the adapter answers those registered with `npm run deploy-commands`. */
  commands: Map<string, CommandDefinition>;
  dispatcher: DiscordDispatcher;
  log: Logger;
  /** @discordjs/rest options on top of the defaults (tests: fewer retries, shorter timeout, no offset). */
  restOptions?: Partial<RESTOptions>;
  /**
   * How long an interaction may work before it is deferred (Discord wants the first answer within 3 s of the
   * interaction; the rest is margin for the network). Answers ready in time go out in one callback.
   */
  ackBudgetMs?: number;
  /** With DISCORD_PUBLIC_KEY: the bot's HTTP server, where /discord/interactions is mounted. */
  http?: HttpRoutes;
  /** Signatures of accepted HTTP interactions (shared by every process on the database), so replays are refused. */
  seenRequests?: InteractionsRouteOptions['seen'];
  /**
   * Each gateway shard's lease in the shared database, so that one replica at a time holds a shard's session;
   * without it (no shared database) this process holds every shard.
   */
  shardLease?: (shard: number) => ShardLease;
}

const DEFAULT_ACK_BUDGET_MS = 2_000;
/** A rate limit longer than this makes post()/edit() fail with a retryable PostError instead of waiting. */
const MAX_RATE_LIMIT_WAIT_MS = 15_000;

/**
 * The Discord side of the bot: a real discord.js client whose REST client (`rest`, also used by the scheduled-event
 * sync) posts the scheduler's messages, as the DiscordPoster this is, and reads interactions from the HTTP
 * endpoint; and, without DISCORD_PUBLIC_KEY, a gateway session (Guilds intent only: interactions need no privileged
 * intents) for each shard this replica holds (GatewayShards: one replica per shard), whose interactions go to the
 * same InteractionHandler. This class adds the connections: start, stop, and what is logged about them.
 */
export class DiscordChat extends DiscordPoster implements ChatAdapter {
  readonly client: Client;
  private readonly interactions: InteractionHandler;
  private readonly shards: GatewayShards;

  constructor(private readonly options: DiscordChatOptions) {
    const { config, log } = options;
    const client = new Client(clientOptions(options));
    // REST works before the gateway is up: the scheduler or the scheduled-event sync may post during start-up.
    client.rest.setToken(config.token);
    // Its own messages are the application's until start() learns the bot user (GET /users/@me).
    super(client.rest, config.applicationId);
    this.client = client;
    this.interactions = new InteractionHandler({ config, dispatcher: options.dispatcher, log, ackBudgetMs: options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS });
    this.client.on(Events.InteractionCreate, (interaction) => void this.interactions.handle(interaction));
    if (config.publicKey) {
      if (!options.http || !options.seenRequests) throw new Error('DISCORD_PUBLIC_KEY needs the bot HTTP server and the request table');
      options.http.add(discordInteractionsRoute({ client: this.client, publicKey: discordPublicKey(config.publicKey), seen: options.seenRequests, log }));
    }
    this.client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    this.client.rest.on(RESTEvents.RateLimited, (limit) => log.info({ route: limit.route, retryAfter: limit.retryAfter, global: limit.global, scope: limit.scope }, 'discord rate limit'));
    const shardCount = config.shardCount ?? 1;
    this.shards = new GatewayShards({ shardCount, lease: options.shardLease, open: (shard) => this.openSession(shard, shardCount), log });
  }

  /** The gateway session of a shard, when this replica holds it. */
  session(shard = 0): Client | undefined {
    return this.shards.session(shard);
  }

  /** Logs in on one shard (discord.js `shards` and `shardCount`) and resolves once that session is ready. */
  private async openSession(shard: number, shardCount: number): Promise<Client> {
    const { log } = this.options;
    const client = new Client(clientOptions(this.options, { shards: [shard], shardCount }));
    client.on(Events.InteractionCreate, (interaction) => void this.interactions.handle(interaction));
    client.on(Events.Error, (error) => log.error({ err: error, shard }, 'discord client error'));
    client.on(Events.Warn, (warning) => log.warn({ warning, shard }, 'discord client warning'));
    client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code, shard }, 'discord gateway disconnected'));
    client.on(Events.ShardResume, (_id, replayed) => log.info({ shard, replayed }, 'discord gateway resumed'));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    try {
      await client.login(this.options.config.token);
      await ready;
    } catch (error) {
      await client.destroy();
      throw rejectedToken('DISCORD_TOKEN', 'Discord', error) ?? error;
    }
    return client;
  }

  /**
   * Checks the token with GET /users/@me (which also tells the bot user posts are recognised by), then, without
   * DISCORD_PUBLIC_KEY, opens the gateway sessions of the shards this replica can take now; the others are
   * taken when their holder stops. With it, no gateway connection at all: Discord sends interactions to the
   * endpoint only once the portal has it, and posting is REST, so any number of replicas answer.
   */
  async start(): Promise<void> {
    const { config, log } = this.options;
    const me = (await this.rest.get(Routes.user('@me')).catch((error: unknown) => {
      throw rejectedToken('DISCORD_TOKEN', 'Discord', error) ?? error;
    })) as APIUser;
    this.ownId = me.id;
    if (config.publicKey) {
      log.info({ user: me.username, interactions: DISCORD_INTERACTIONS_PATH }, 'discord adapter started (interactions over HTTP, no gateway connection)');
    } else {
      await this.shards.start();
      const guilds = this.shards.held().reduce((n, shard) => n + (this.shards.session(shard)?.guilds.cache.size ?? 0), 0);
      log.info({ user: me.username, shards: this.shards.held(), shardCount: config.shardCount ?? 1, guilds }, 'discord adapter started');
      if (!config.guildId) log.warn('DISCORD_GUILD_ID is not set: organizer rights count in every server the bot is in');
    }
    await checkRegisteredCommands(this.rest, config, this.options.commands.values(), log);
  }

  async stop(): Promise<void> {
    await this.shards.stop();
    await this.client.destroy();
  }
}

function clientOptions(options: DiscordChatOptions, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: {
      ...(options.config.apiUrl ? { api: options.config.apiUrl } : {}),
      ...options.restOptions,
      // Short waits are waited out in discord.js's queue; long ones go back to the scheduler as retryable errors.
      // So does the global limit on channel routes (the scheduler's posts, edits and lookups): a request waited
      // out and resent here would land outside the send slots the replicas share, on top of the next second's
      // own requests, and draw the next 429; back in the outbox it gets a slot of its own. Nothing was sent.
      rejectOnRateLimit: (limit: RateLimitData) => limit.retryAfter > MAX_RATE_LIMIT_WAIT_MS || (limit.global && limit.route.startsWith('/channels/')),
    },
    ...extra,
  };
}
