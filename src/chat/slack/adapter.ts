import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import type { SlackConfig } from '../../config';
import type { HttpRoutes } from '../../http/server';
import type { Logger } from '../../log';
import type { CommandDefinition } from '../../commands/definition';
import type { ChatAdapter } from '../adapter';
import { rejectedToken } from '../../startup-errors';
import type { SeenRequests } from '../../store/seen-requests';
import { boltLogger } from './logger';
import { OrganizerCheck } from './organizers';
import { SlackPoster } from './posting';
import { registerInteractions, type SlackDispatcher } from './interactions';
import { createReceiver, mountReceiver, SLACK_EVENTS_PATH } from './receiver';
import type { SlackInstallations } from './installations';
import { handleUninstalls } from './uninstall';
import { InstalledWorkspaces, SingleWorkspace, type WorkspaceClients } from './workspaces';

export interface SlackChatOptions {
  config: SlackConfig;
  /** Every loaded command; each becomes a Slack slash command of the same name. */
  commands: Map<string, CommandDefinition>;
  dispatcher: SlackDispatcher;
  log: Logger;
  /** web-api retry policy (p-retry options) for every call but posting; tests make it short. */
  retryConfig?: webApi.RetryOptions;
  /** How long a post or an edit may take before its outcome counts as unknown (default 10 s). */
  postTimeoutMs?: number;
  /**
   * How long a command or modal submission may work before it must be acked without its answer (Slack allows
   * 3 s; the rest is margin for the network). Answers ready in time travel in the ack itself.
   */
  ackBudgetMs?: number;
  /**
   * The bot's HTTP server: in HTTP mode, Bolt's receiver answers /slack/events there (verification and all)
   * instead of listening on a port of its own. Without it (or with SLACK_PORT set), Bolt listens on config.port.
   */
  http?: HttpRoutes;
  /**
   * Signatures of accepted signed requests, so a replay is refused (HTTP mode). The bot passes one on its
   * database; without it the adapter keeps its own in an in-memory database.
   */
  seenRequests?: SeenRequests;
  /**
   * With OAuth (config.oauth): the installed workspaces, in the bot's database. Each request is answered with its
   * workspace's token, and the install flow (/slack/install, /slack/oauth_redirect) stores new ones here.
   */
  installations?: SlackInstallations;
  /** With OAuth: the workspace (team id) of channels the communities name, so their posts use its token. */
  channelTeams?: ReadonlyMap<string, string>;
}

/** Production retries for reading calls: a few quick ones. Posting calls are never retried by the client. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 };
const DEFAULT_ACK_BUDGET_MS = 1_000;

/**
 * The Slack side of the bot: a real Bolt app in HTTP mode (Bolt's receiver at /slack/events, signed requests)
 * or Socket Mode, whose handlers (./interactions) answer every command in commands/. It posts the scheduler's
 * messages as the SlackPoster it is, through the workspaces' clients (which token a call to a channel or member
 * goes out with: the one workspace's, or its installation's); this class adds the connection: start, stop, where
 * requests arrive.
 */
export class SlackChat extends SlackPoster implements ChatAdapter {
  readonly app: App;
  private readonly receiver: Receiver;
  private server?: Server;
  /** True when Bolt's receiver is mounted on the bot's HTTP server rather than listening itself. */
  private readonly mounted: boolean;

  constructor(private readonly options: SlackChatOptions) {
    const { config, log } = options;
    if (config.oauth && !options.installations) throw new Error('Slack OAuth needs the installation store');
    const logger = boltLogger(log);
    const clientOptions = {
      slackApiUrl: config.apiUrl,
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      timeout: 10_000,
    };
    const installations = config.oauth ? options.installations : undefined;
    const receiver = createReceiver(config, logger, clientOptions, { seenRequests: options.seenRequests, log, installations });
    // Deferred so the token check (auth.test) happens in start(), where a failure is an error we can report,
    // not an unhandled rejection from the constructor. With OAuth there is no token of the app's own: Bolt's
    // authorize reads the request's workspace installation, and handlers get that workspace's client.
    // No conversation store: no handler reads Bolt's conversation state, and the default one looks each request up
    // (and throws inside Bolt when, as always here, there is nothing stored).
    const app = new App({ token: config.botToken, receiver, logger, clientOptions, deferInitialization: true, convoStore: false });
    const clientsFor = (token: string | undefined): WorkspaceClients => ({
      reader: new webApi.WebClient(token, { ...clientOptions, logger }),
      poster: new webApi.WebClient(token, {
        slackApiUrl: config.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: options.postTimeoutMs ?? 10_000,
        logger,
      }),
    });
    super(
      installations
        ? new InstalledWorkspaces(installations, clientsFor, options.channelTeams)
        : new SingleWorkspace({ reader: app.client, poster: clientsFor(config.botToken).poster }),
    );
    this.receiver = receiver;
    this.app = app;
    registerInteractions(this.app, {
      commandNames: options.commands.keys(),
      dispatcher: options.dispatcher,
      log,
      organizers: new OrganizerCheck(config.organizerUserIds, config.organizerUsergroup, log),
      ackBudgetMs: options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS,
      workspaces: this.workspaces,
      openDirectMessage: (userId) => this.openDirectMessage(userId),
    });
    if (installations) handleUninstalls(this.app, installations, log);
    this.app.error(async (error) => log.error({ err: error }, 'slack handler failed'));
    this.mounted = this.receiver instanceof HTTPReceiver && options.http !== undefined;
    if (this.mounted) mountReceiver(options.http!, this.receiver as HTTPReceiver);
  }

  /** Port of the HTTP receiver (the real one when the config asked for port 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    // init() checks the bot token (auth.test); in Socket Mode start() opens the connection with the app token.
    // With OAuth there is no token to check: each workspace's was checked when it installed the app.
    await this.app.init().catch((error: unknown) => {
      throw rejectedToken('SLACK_BOT_TOKEN', 'Slack', error) ?? error;
    });
    const oauth = this.options.config.oauth !== undefined;
    if (this.mounted) return void this.options.log.info({ mode: 'http', path: SLACK_EVENTS_PATH, oauth }, 'slack adapter started on the bot http server');
    const started = await this.app.start(this.options.config.port ?? 0).catch((error: unknown) => {
      throw rejectedToken(this.options.config.mode === 'socket' ? 'SLACK_APP_TOKEN' : 'SLACK_BOT_TOKEN', 'Slack', error) ?? error;
    });
    if (this.options.config.mode === 'http') this.server = started as Server;
    this.options.log.info({ mode: this.options.config.mode, port: this.port }, 'slack adapter started');
  }

  async stop(): Promise<void> {
    // Bolt's SocketModeReceiver.stop() does not wait for the WebSocket close handshake; wait for it here so
    // nothing is left running (its 30 s fallback timer included).
    if (this.receiver instanceof SocketModeReceiver) await this.receiver.client.disconnect();
    // A mounted receiver has no server of its own to stop; the bot's HTTP server stops with the bot.
    if (!this.mounted) await this.app.stop();
    this.server = undefined;
  }
}
