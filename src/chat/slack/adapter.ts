import type { Server } from 'node:http';
import type { DateTime } from 'luxon';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type Receiver, type RespondFn } from '@slack/bolt';
import type { SlackConfig } from '../../config';
import { plain, type HttpRoutes } from '../../http/server';
import type { Logger } from '../../log';
import type { Caller, CommandDefinition } from '../../commands/definition';
import type { ChatAdapter, PostOptions } from '../adapter';
import type { Dispatcher, ModalOutcome } from '../dispatch';
import { message, type CommandReply, type MessageModel } from '../message';
import { toPostError } from './errors';
import { boltLogger } from './logger';
import { OrganizerCheck } from './organizers';
import { renderMessage, renderMessageView, renderModal } from './render';
import { withinBudget } from '../answer-deadline';
import { rejectedToken } from '../../startup-errors';
import { lazyDatabase } from '../../store/db';
import { SeenRequests } from '../../store/seen-requests';
import { guardRequests } from './request-guard';

/** Message metadata type marking the bot's own posts; its payload carries the outbox delivery key. */
export const POST_EVENT_TYPE = 'sremuc_post';

/** The part of the platform-neutral dispatcher the Slack adapter drives: free text, buttons, forms. */
export type SlackDispatcher = Pick<Dispatcher, 'runText' | 'button' | 'modalSubmit'>;

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
}

/** Production retries for reading calls: a few quick ones. Posting calls are never retried by the client. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 };
/** Without a `since`, findPosted reads this many pages of recent history. */
const HISTORY_PAGES = 5;
/** Slack recommends at most 200 messages per conversations.history page. */
const HISTORY_PAGE_SIZE = 200;
const SLACK_EVENTS_PATH = '/slack/events';
const DEFAULT_ACK_BUDGET_MS = 1_000;
const FORM_DID_NOT_OPEN = message({ intro: ['The form could not be opened (Slack refused it). Please run the command again.'], ephemeral: true });
const SOMETHING_WENT_WRONG = message({ intro: ['Something went wrong; the organizers have been told.'], ephemeral: true });

/**
 * The Slack side of the bot: a real Bolt app in HTTP mode (Bolt's receiver at /slack/events, signed requests)
 * or Socket Mode, answering every command in commands/ and posting the scheduler's messages.
 * Every handler acks within a budget well inside Slack's 3-second deadline, however slow the work is: with the
 * answer when it is ready by then, empty otherwise (the answer follows through respond() or views.update).
 */
export class SlackChat implements ChatAdapter {
  readonly platform = 'slack' as const;
  readonly app: App;
  private readonly client: webApi.WebClient;
  /**
   * Posts and edits go through a client that never retries by itself (no retries, 429s handed back): Slack has
   * no idempotency key, so a post retried after a timeout, a reset or a 5xx may appear twice. The outbox looks
   * the delivery key up in the channel instead, before any resend.
   */
  private readonly poster: webApi.WebClient;
  private readonly organizers: OrganizerCheck;
  private readonly receiver: Receiver;
  private server?: Server;
  /** True when Bolt's receiver is mounted on the bot's HTTP server rather than listening itself. */
  private readonly mounted: boolean;
  /** Direct-message conversation per user (conversations.open answers the same id every time). */
  private readonly dms = new Map<string, string>();

  constructor(private readonly options: SlackChatOptions) {
    const { config, log } = options;
    const logger = boltLogger(log);
    const clientOptions = {
      slackApiUrl: config.apiUrl,
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      timeout: 10_000,
    };
    this.receiver = createReceiver(config, logger, clientOptions);
    if (this.receiver instanceof HTTPReceiver) {
      const seen = options.seenRequests ?? new SeenRequests(lazyDatabase(':memory:'));
      guardRequests(this.receiver, { signingSecret: config.signingSecret ?? '', endpoint: SLACK_EVENTS_PATH, seen, log });
    }
    // Deferred so the token check (auth.test) happens in start(), where a failure is an error we can report,
    // not an unhandled rejection from the constructor.
    this.app = new App({ token: config.botToken, receiver: this.receiver, logger, clientOptions, deferInitialization: true });
    this.client = this.app.client;
    this.poster = new webApi.WebClient(config.botToken, {
      slackApiUrl: config.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.postTimeoutMs ?? 10_000,
      logger,
    });
    this.organizers = new OrganizerCheck(this.client, config.organizerUserIds, config.organizerUsergroup, log);
    this.registerCommands();
    this.registerInteractions();
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
    await this.app.init().catch((error: unknown) => {
      throw rejectedToken('SLACK_BOT_TOKEN', 'Slack', error) ?? error;
    });
    if (this.mounted) return void this.options.log.info({ mode: 'http', path: '/slack/events' }, 'slack adapter started on the bot http server');
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

  async post(channel: string, model: MessageModel, { deliveryKey }: PostOptions): Promise<{ messageId: string }> {
    const { text, blocks } = renderMessage(model);
    try {
      const res = await this.poster.chat.postMessage({
        channel,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: POST_EVENT_TYPE, event_payload: { delivery_key: deliveryKey } },
      });
      return { messageId: res.ts ?? '' };
    } catch (error) {
      throw toPostError('chat.postMessage', error);
    }
  }

  /**
   * Tells the organizers (SLACK_ORGANIZERS_CHANNEL): CfP submissions, posts that failed for good. Without a
   * configured channel there is nobody to tell on Slack, and it does nothing. Usable as an OrganizerNotifier.
   */
  readonly notifyOrganizers = async (model: MessageModel): Promise<void> => {
    const channel = this.options.config.organizersChannel;
    if (!channel) return;
    const { text, blocks } = renderMessage(model);
    try {
      await this.poster.chat.postMessage({ channel, text, blocks, unfurl_links: false, unfurl_media: false });
    } catch (error) {
      throw toPostError('chat.postMessage', error);
    }
  };

  async edit(channel: string, messageId: string, model: MessageModel): Promise<void> {
    const { text, blocks } = renderMessage(model);
    try {
      await this.poster.chat.update({ channel, ts: messageId, text, blocks });
    } catch (error) {
      throw toPostError('chat.update', error);
    }
  }

  /** The direct conversation with a member (opened if needed): where RSVP messages and CSV exports go. */
  async openDirectMessage(userId: string): Promise<string> {
    const known = this.dms.get(userId);
    if (known) return known;
    try {
      const res = await this.client.conversations.open({ users: userId });
      const id = res.channel?.id;
      if (!id) throw new Error('conversations.open returned no channel');
      if (this.dms.size >= 1_000) this.dms.clear();
      this.dms.set(userId, id);
      return id;
    } catch (error) {
      throw toPostError('conversations.open', error);
    }
  }

  /**
   * Files that go with an answer: uploaded into the caller's direct messages with the bot (files.uploadV2), since
   * Slack cannot attach a file to an ephemeral answer and a channel upload would show it to everyone there.
   */
  private async uploadFiles(userId: string, files: NonNullable<MessageModel['files']>): Promise<string | undefined> {
    try {
      const channel = await this.openDirectMessage(userId);
      for (const f of files) {
        await this.client.filesUploadV2({ channel_id: channel, file: Buffer.from(f.content, 'utf8'), filename: f.name, title: f.name });
      }
      return undefined;
    } catch (error) {
      this.options.log.error({ err: error, files: files.map((f) => f.name) }, 'slack file upload failed');
      return 'The file could not be sent just now; please try again.';
    }
  }

  /**
   * Scans history for a message of ours whose metadata carries the delivery key: every page back to `since`
   * (Slack's `oldest`), or a few pages of recent history without it.
   */
  async findPosted(channel: string, deliveryKey: string, since?: DateTime): Promise<string | undefined> {
    let cursor: string | undefined;
    const oldest = since && (since.toMillis() / 1000).toFixed(6);
    for (let page = 0; oldest !== undefined || page < HISTORY_PAGES; page++) {
      const res = await this.history(channel, cursor, oldest);
      const found = res.messages?.find((m) => m.metadata?.event_type === POST_EVENT_TYPE && deliveryKeyOf(m.metadata.event_payload) === deliveryKey);
      if (found?.ts) return found.ts;
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  private async history(channel: string, cursor: string | undefined, oldest: string | undefined) {
    try {
      return await this.client.conversations.history({ channel, cursor, oldest, limit: HISTORY_PAGE_SIZE, include_all_metadata: true });
    } catch (error) {
      throw toPostError('conversations.history', error);
    }
  }

  /**
   * Fast answers (nearly all) go back in the ack's HTTP response, as Slack recommends: one round trip, nothing
   * more to send. Work still running when the budget is spent is acked empty and answered through respond().
   */
  private registerCommands(): void {
    for (const name of this.options.commands.keys()) {
      this.app.command(`/${name}`, async ({ command, ack, respond, client }) => {
        const work = this.guarded(
          this.caller(command.user_id, command.user_name, command.channel_id).then((caller) => this.options.dispatcher.runText(name, command.text, caller)),
          `/${name}`,
        );
        const early = await withinBudget(work, this.ackBudgetMs);
        if (early && 'message' in early && !early.message.files?.length) return ack(responseFor(early.message));
        await ack();
        const reply = early ?? (await work);
        await this.deliver(reply, { respond, client, triggerId: command.trigger_id, channel: command.channel_id, userId: command.user_id });
      });
    }
  }

  private get ackBudgetMs(): number {
    return this.options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS;
  }

  /** The dispatcher answers every failure itself; this is the last line so the user never waits in silence. */
  private guarded<T extends CommandReply | ModalOutcome>(work: Promise<T>, what: string): Promise<T | { message: MessageModel }> {
    return work.catch((error: unknown) => {
      this.options.log.error({ err: error, what }, 'slack interaction failed');
      return { message: SOMETHING_WENT_WRONG };
    });
  }

  private registerInteractions(): void {
    this.app.action({ type: 'block_actions' }, async ({ action, ack, body, respond, client }) => {
      await ack();
      // Link buttons open their URL in the browser; Slack still reports the click, there is nothing to do.
      if (action.type !== 'button' || action.url) return;
      const channel = body.channel?.id;
      const caller = await this.caller(body.user.id, body.user.name ?? body.user.username ?? body.user.id, channel);
      const reply = await this.guarded(this.options.dispatcher.button(action.action_id, caller), action.action_id);
      await this.deliver(reply, { respond, client, triggerId: body.trigger_id, channel, asNewMessage: true, userId: body.user.id });
    });

    this.app.view({ type: 'view_submission' }, async ({ ack, view, body, client }) => {
      const { channel } = parseMetadata(view.private_metadata);
      const title = view.title.text;
      const work = this.guarded(
        this.caller(body.user.id, body.user.name, channel).then((caller) => this.options.dispatcher.modalSubmit(view.callback_id, inputValues(view.state.values), caller)),
        view.callback_id,
      ).then((outcome) => ('message' in outcome ? outcome.message : outcome));
      const settled = await withinBudget(work, this.ackBudgetMs);
      if (settled === undefined) {
        // Slow (e.g. forwarding to organizers is retrying): meet the deadline now, show the outcome when ready.
        await ack({ response_action: 'update', view: renderMessageView(plainMessage('Submitting… this takes a moment.'), title) });
        const outcome = await work;
        const shown = 'errors' in outcome ? plainMessage(Object.values(outcome.errors).join('\n')) : outcome;
        await client.views.update({ view_id: view.id, view: renderMessageView(shown, title) });
      } else if ('errors' in settled) {
        await ack({ response_action: 'errors', errors: settled.errors });
      } else {
        await ack({ response_action: 'update', view: renderMessageView(settled, title) });
      }
    });
  }

  private async caller(id: string, name: string, channel: string | undefined): Promise<Caller> {
    return { platform: 'slack', id, name, channel, isOrganizer: await this.organizers.isOrganizer(id) };
  }

  /** A message goes back through response_url; a form opens as a modal with the interaction's trigger id. */
  private async deliver(reply: CommandReply, to: { respond: RespondFn; client: webApi.WebClient; triggerId?: string; channel?: string; asNewMessage?: boolean; userId?: string }): Promise<void> {
    if ('modal' in reply) {
      if (!to.triggerId) throw new Error(`cannot open modal ${reply.modal.id} without a trigger id`);
      try {
        await to.client.views.open({ trigger_id: to.triggerId, view: renderModal(reply.modal, JSON.stringify({ channel: to.channel })) });
      } catch (error) {
        // Without this the member clicked and nothing happened (an expired trigger id, Slack down): say so, privately.
        this.options.log.warn({ err: error, modal: reply.modal.id }, 'slack views.open failed');
        await to.respond({ ...responseFor(FORM_DID_NOT_OPEN), replace_original: false });
      }
      return;
    }
    let model = reply.message;
    if (model.files?.length && to.userId) {
      const problem = await this.uploadFiles(to.userId, model.files);
      model = { ...model, files: undefined, footer: [problem ?? 'The file is in your direct messages with the bot.'] };
    }
    await to.respond({ ...responseFor(model), ...(to.asNewMessage ? { replace_original: false } : {}) });
  }
}

/** A message as a slash-command response (in the ack or through response_url). */
function responseFor(m: MessageModel): { response_type: 'ephemeral' | 'in_channel'; text: string; blocks: ReturnType<typeof renderMessage>['blocks'] } {
  const { text, blocks } = renderMessage(m);
  return { response_type: m.ephemeral ? 'ephemeral' : 'in_channel', text, blocks };
}

function createReceiver(config: SlackConfig, logger: ReturnType<typeof boltLogger>, clientOptions: webApi.WebClientOptions): Receiver {
  if (config.mode === 'socket') {
    return new SocketModeReceiver({ appToken: config.appToken ?? '', logger, installerOptions: { clientOptions } });
  }
  return new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: SLACK_EVENTS_PATH, port: config.port, logger });
}

/**
 * Bolt's own request listener at /slack/: it reads the raw body, checks the signature and timestamp, and acks,
 * exactly as when Bolt runs its own server. A path Bolt does not serve is a plain 404.
 */
function mountReceiver(http: HttpRoutes, receiver: HTTPReceiver): void {
  http.add({
    name: 'slack',
    path: '/slack/',
    prefix: true,
    methods: ['POST'],
    handle(req, res) {
      try {
        receiver.requestListener(req, res);
      } catch {
        plain(res, 404, 'Not found.\n');
      }
    },
  });
}

/** Slack nests input values by block and action id; the dispatcher wants field id → text. */
function inputValues(state: Record<string, Record<string, { value?: string | null }>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const actions of Object.values(state)) {
    for (const [actionId, input] of Object.entries(actions)) values[actionId] = input.value ?? '';
  }
  return values;
}

function deliveryKeyOf(payload: object | undefined): unknown {
  return (payload as { delivery_key?: unknown } | undefined)?.delivery_key;
}

function parseMetadata(raw: string): { channel?: string } {
  try {
    return raw ? (JSON.parse(raw) as { channel?: string }) : {};
  } catch {
    return {};
  }
}


function plainMessage(text: string): MessageModel {
  return message({ sections: [{ body: [text] }] });
}
