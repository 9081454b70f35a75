import { Client, Events, GatewayIntentBits, RESTEvents, Routes, type APIUser, type RateLimitData, type REST, type RESTOptions } from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../log';
import type { CommandDefinition } from '../../commands/definition';
import { PostingAdapter } from '../adapter';
import { rejectedToken } from '../../startup-errors';
import { DiscordPoster } from './posting';
import { InteractionHandler, type DiscordDispatcher } from './interactions';
import { checkRegisteredCommands } from './registered-commands';
import type { HttpRoutes } from '../../http/server';
import { DISCORD_INTERACTIONS_PATH, discordInteractionsRoute, type InteractionsRouteOptions } from './http-interactions';
import { discordPublicKey } from './interaction-signature';

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
  /** A rate limit longer than this makes post()/edit() fail with a retryable PostError instead of waiting. */
  maxRateLimitWaitMs?: number;
  /** How many pages of 100 messages findPosted() reads. */
  historyPages?: number;
  /** With DISCORD_PUBLIC_KEY: the bot's HTTP server, where /discord/interactions is mounted. */
  http?: HttpRoutes;
  /** Signatures of accepted HTTP interactions (shared by every process on the database), so replays are refused. */
  seenRequests?: InteractionsRouteOptions['seen'];
}

const DEFAULT_ACK_BUDGET_MS = 2_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 15_000;

/**
 * The Discord side of the bot: a real discord.js client (Guilds intent only: interactions need no privileged
 * intents) whose interactions go to the InteractionHandler and whose REST client the DiscordPoster posts the
 * scheduler's messages through. This class holds the connection: start, stop, and what is logged about it.
 */
export class DiscordChat extends PostingAdapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  protected readonly poster: DiscordPoster;
  /** The bot user, learned at start (from the gateway's READY, or GET /users/@me without a gateway). */
  private botUserId?: string;

  constructor(private readonly options: DiscordChatOptions) {
    super();
    const { config, log } = options;
    const maxWait = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { parse: [] },
      rest: {
        ...(config.apiUrl ? { api: config.apiUrl } : {}),
        ...options.restOptions,
        // Short waits are waited out in discord.js's queue; long ones go back to the scheduler as retryable errors.
        rejectOnRateLimit: (limit: RateLimitData) => limit.retryAfter > maxWait,
      },
    });
    // REST works before the gateway is up: the scheduler or the scheduled-event sync may post during start-up.
    this.client.rest.setToken(config.token);
    this.poster = new DiscordPoster({
      rest: this.client.rest,
      ownId: () => this.client.user?.id ?? this.botUserId ?? config.applicationId,
      historyPages: options.historyPages,
    });
    const interactions = new InteractionHandler({ config, dispatcher: options.dispatcher, log, ackBudgetMs: options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS });
    this.client.on(Events.InteractionCreate, (interaction) => void interactions.handle(interaction));
    if (config.publicKey) {
      if (!options.http || !options.seenRequests) throw new Error('DISCORD_PUBLIC_KEY needs the bot HTTP server and the request table');
      options.http.add(discordInteractionsRoute({ client: this.client, publicKey: discordPublicKey(config.publicKey), seen: options.seenRequests, log }));
    }
    this.client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    this.client.on(Events.Warn, (warning) => log.warn({ warning }, 'discord client warning'));
    this.client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'discord gateway disconnected'));
    this.client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'discord gateway resumed'));
    this.client.rest.on(RESTEvents.RateLimited, (limit) => log.info({ route: limit.route, retryAfter: limit.retryAfter, global: limit.global, scope: limit.scope }, 'discord rate limit'));
  }

  /** The REST client (also used by the scheduled-event sync). */
  get rest(): REST {
    return this.client.rest;
  }

  async start(): Promise<void> {
    if (this.options.config.publicKey) return this.startWithoutGateway();
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.options.config.token).catch((error: unknown) => {
      throw rejectedToken('DISCORD_TOKEN', 'Discord', error) ?? error;
    });
    await ready;
    this.options.log.info({ user: this.client.user?.tag, guilds: this.client.guilds.cache.size }, 'discord adapter started');
    if (!this.options.config.guildId) this.options.log.warn('DISCORD_GUILD_ID is not set: organizer rights count in every server the bot is in');
    await checkRegisteredCommands(this.rest, this.options.config, this.options.commands.values(), this.options.log);
  }

  /**
   * Interactions come over HTTP: no gateway connection (Discord sends interactions to the endpoint only once
   * the portal has it, and posting is REST), so replicas do not each hold a session. The token is checked with
   * GET /users/@me, which also tells the bot user posts are recognised by.
   */
  private async startWithoutGateway(): Promise<void> {
    const me = (await this.rest.get(Routes.user('@me')).catch((error: unknown) => {
      throw rejectedToken('DISCORD_TOKEN', 'Discord', error) ?? error;
    })) as APIUser;
    this.botUserId = me.id;
    this.options.log.info({ user: me.username, interactions: DISCORD_INTERACTIONS_PATH }, 'discord adapter started (interactions over HTTP, no gateway connection)');
    await checkRegisteredCommands(this.rest, this.options.config, this.options.commands.values(), this.options.log);
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }
}
