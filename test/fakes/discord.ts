/**
 * A protocol-faithful fake Discord on 127.0.0.1 for end-to-end tests of the real discord.js client.
 *
 *   const discord = await FakeDiscord.start();
 *   new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } })  // REST and gateway go to the fake
 *
 * REST (`/api/v10/...`, JSON bodies, `Authorization: Bot <token>` except on interaction/webhook routes, which carry
 * their own token in the path, as on Discord):
 *   - every request is recorded in `discord.requests` (method, route path without `/api/v10`, query, parsed body,
 *     performance.now() time, status answered); `discord.requestsTo('POST', /^\/channels\/\d+\/messages$/)` filters.
 *   - implemented: GET /gateway/bot, GET /users/@me, application commands (GET, PUT bulk overwrite, global and
 *     guild), channels (GET), channel messages (POST, PATCH, DELETE, GET one, GET list with limit/before/after),
 *     interaction callbacks (`POST /interactions/:id/:token/callback`, types 4-9 with Discord's rules about which
 *     interaction allows which), webhook follow-ups and @original (POST, GET, PATCH, DELETE), guild, its
 *     channels and roles (`discord.roles`), members seen in interactions, guild scheduled events (GET list/one,
 *     POST, PATCH with status transitions, DELETE).
 *   - bodies are validated like Discord does where cheap: content 2000, 10 embeds, title 256, description 4096,
 *     25 fields (name 256, value 1024), footer 2048, 6000 characters over all embeds, 5 rows of 5 buttons, labels
 *     80, custom ids 100, nonce 25, command names/descriptions/options, modal title 45 and 1-5 inputs, scheduled
 *     event fields. Direct messages: `POST /users/@me/channels` opens (once per member) a DM channel whose messages
 *     work like any channel's (`discord.dmChannel(userId)`). Interested members of a scheduled event: GET
 *     /guilds/:g/scheduled-events/:id/users with limit/after (`discord.setInterested(eventId, userIds)`).
 *     Attachments: multipart/form-data bodies (payload_json plus files[n]) are read like Discord does, and the
 *     files are kept on the message they created (`message.attachments`, with their text).
 *     A violation answers 400 `{ code: 50035, message: 'Invalid Form Body', errors }`.
 *   - `enforce_nonce: true` with a nonce already used by the same author in that channel in the last 5 minutes
 *     returns the earlier message instead of creating one (Discord's duplicate-send protection). The nonce comes
 *     back in the create response only; fetched messages have none, as on Discord.
 *   - mentions: each stored message records `pings`, the mentions that would have notified someone given its
 *     content and `allowed_mentions` (embeds never ping), so tests can assert that nothing pinged.
 *   - an interaction must get its first callback within 3 s, or the callback answers 404 Unknown interaction
 *     (10062); a second callback answers 400 (40060), like Discord.
 *
 * Faults and rate limits:
 *   - `discord.failNext({ method: 'POST', path: /\/messages$/ }, { status: 429, retryAfter: 1 }, times)` or
 *     `{ status: 500 }`, `{ status: 403, code: 50001 }`...; `failMessageCreates(n, fault)` is the common case.
 *     A 429 carries Retry-After, X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket/-Scope and the JSON
 *     body `{ message, retry_after, global }`.
 *   - faults that store first (Discord did its work, the answer got lost): `{ storeThen: 500 }`,
 *     `{ storeThen: 'reset' }` (connection reset), `{ storeThen: 'hang' }` (never answers); `{ hang: true }` never
 *     answers and does nothing, or does the request when `storeWhen` settles. `discord.historyLag(ms)`: message
 *     lists show a message only `ms` after it was created (by the fake's `now`).
 *   - `discord.setGlobalRateLimit(50)`: more than 50 requests in a 1 s window (starting at the first request
 *     after the previous window ended) answer 429 with `X-RateLimit-Global: true` and scope global; interaction
 *     and webhook routes are exempt, as on Discord. Off by default.
 *   - `discord.limitMessagesPerChannel(5, 5000)`: message creates are bucketed per channel with real
 *     X-RateLimit-* headers on every answer (discord.js then paces itself); over the limit answers 429.
 *   - `discord.rateLimits` counts 429 answers: total, global, and per route.
 *
 * Gateway (WebSocket on the same port; `/gateway/bot` points at it): HELLO (op 10) with heartbeat_interval,
 * IDENTIFY (op 2) -> READY (session_id, resume_gateway_url on this fake, application, unavailable guilds) then
 * GUILD_CREATE, heartbeat (op 1) -> ACK (op 11), RESUME (op 6) with a known session -> missed dispatches
 * replayed, then RESUMED; unknown session -> INVALID_SESSION (op 9). `discord.disconnect(4000)` closes the sockets
 * with a code (the client resumes on 4000); dispatches sent while no socket is open are queued for the resume.
 * Sharding as on Discord: IDENTIFY's `shard: [id, count]` (default [0, 1]) opens a session of that shard; a
 * guild's events go to the sessions of shard `(guild_id >> 22) % count`, direct messages to shard 0, and every
 * open session of that shard gets them (two sessions of one shard both receive, and both may answer, one
 * interaction). `discord.gateway.identifyLog` lists every IDENTIFY with its shard and how many sessions of that
 * shard were open right after it (`concurrent`); `discord.openSessions(shard)` counts them now.
 *
 * Interactions: `discord.dispatchInteraction({ kind: 'command', name, options, ... })` (also 'autocomplete',
 * 'button', 'modalSubmit') sends INTERACTION_CREATE and returns a handle whose `firstCallback` resolves with the
 * bot's first callback; `discord.interaction(id)` shows all callbacks, the original response and follow-ups.
 * A modal submit built with `fromModal` mirrors the modal the bot showed (Label or action-row layout).
 *
 * HTTP interactions (the Developer Portal's Interactions Endpoint URL): `discord.useInteractionsEndpoint(url)`
 * makes every later interaction a signed POST to that URL instead of a gateway dispatch, as on Discord: an
 * Ed25519 signature over X-Signature-Timestamp + body with the application's key (`discord.publicKeyHex`). A
 * JSON interaction response in the answer counts as the first callback; a 202/204 without a body means the
 * callback comes through REST. Any other answer is kept as `state.endpointAnswer` ("The application did not
 * respond"). `discord.checkInteractionsEndpoint(url)` does what the portal does when the URL is saved: a signed
 * PING that must be answered `{ type: 1 }`, and a request with a bad signature that must be refused with 401.
 *
 * `await discord.close()` ends every socket and server (no open handles left in jest).
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenOnLoopback, loopbackUrl } from './loopback';

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  /** Route without the `/api/v10` prefix, path segments decoded (`/webhooks/1/tok/messages/@original`). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** performance.now() when the request arrived. */
  time: number;
  status: number;
  authorized: boolean;
}

export type Fault =
  | { status: 429; retryAfter: number; scope?: 'user' | 'shared'; bucket?: string }
  | { status: 500 | 502 | 503 }
  | { status: 400 | 403 | 404; code: number; message?: string }
  | { storeThen: 500 | 'reset' | 'hang' }
  | { hang: true; storeWhen?: Promise<unknown> }
  /** Answers normally: holds a place in the queue so that later faults land on later requests. */
  | { pass: true };

export interface StoredMessage {
  id: string;
  channel_id: string;
  author: Json;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  /** Kept for enforce_nonce; not part of fetched messages. */
  nonce?: string | number;
  /** Mentions that would have notified someone: '@everyone', '@here', '<@id>', '<@&id>'. */
  pings: string[];
  /** Set on interaction responses. */
  interactionId?: string;
  createdAt: number;
  /** Files sent with the message (multipart), with their content as text. */
  attachments?: { id: string; filename: string; content: string; content_type?: string }[];
}

export interface MemberSpec {
  id: string;
  username?: string;
  globalName?: string;
  nick?: string;
  roles?: string[];
  /** Permission bits as a bigint, e.g. PermissionFlagsBits.ManageEvents. */
  permissions?: bigint;
}

export interface CallbackRecord {
  type: number;
  data?: Json;
  time: number;
}

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  payload: Json;
  dispatchedAt: number;
  callbacks: CallbackRecord[];
  /** The response message (type 4/5 callbacks, edited by PATCH @original). */
  original?: StoredMessage;
  followUps: StoredMessage[];
  /** The modal shown by a type 9 callback. */
  modal?: Json;
  originalDeleted?: boolean;
  /** With an interactions endpoint: the signed request sent, and what it answered. */
  sent?: SignedInteraction;
  endpointAnswer?: { status: number; body: string };
}

export interface SignedInteraction {
  signature: string;
  timestamp: string;
  body: string;
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** The bot's first callback (reply, defer, modal, autocomplete choices). */
  firstCallback: Promise<CallbackRecord>;
  state: InteractionState;
}

export type InteractionSpec = {
  member?: MemberSpec;
  channelId?: string;
  /** Leave out the guild (a DM): then `member` is absent and `user` is set. */
  dm?: boolean;
} & (
  | { kind: 'command'; name: string; subcommand?: string; options?: Record<string, string | number | boolean> }
  | { kind: 'autocomplete'; name: string; subcommand?: string; options?: Record<string, string | number | boolean>; focused: string }
  | { kind: 'button'; customId: string; messageId?: string }
  | { kind: 'modalSubmit'; customId?: string; fromModal?: string; values: Record<string, string> }
);

export interface ScheduledEvent extends Json {
  id: string;
  guild_id: string;
  name: string;
  description: string | null;
  scheduled_start_time: string;
  scheduled_end_time: string | null;
  status: number;
  entity_type: number;
  entity_metadata: { location?: string } | null;
  privacy_level: number;
  creator_id: string;
  channel_id: string | null;
}

const DISCORD_EPOCH = 1420070400000n;
const NONCE_WINDOW_MS = 5 * 60_000;
const INTERACTION_DEADLINE_MS = 3_000;
const API_PREFIX = '/api/v10';
const EPHEMERAL = 64;
const LOADING = 128;
const SUPPRESS_EMBEDS = 4;

/** Permission bits the fake needs (also in discord.js PermissionFlagsBits). */
export const PERMISSIONS = { Administrator: 1n << 3n, ManageEvents: 1n << 33n, ViewChannel: 1n << 10n, SendMessages: 1n << 11n };

class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

const invalidForm = (errors: Json): DiscordHttpError => new DiscordHttpError(400, { code: 50035, message: 'Invalid Form Body', errors });
const unknown = (what: string, code: number): DiscordHttpError => new DiscordHttpError(404, { code, message: `Unknown ${what}` });

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly botUser: Json & { id: string };
  readonly requests: RecordedRequest[] = [];
  readonly rateLimits = { total: 0, global: 0, byRoute: new Map<string, number>() };
  readonly gateway = {
    identifies: 0,
    resumes: 0,
    heartbeats: 0,
    connections: 0,
    intents: undefined as number | undefined,
    identifyLog: [] as { shard: number; count: number; at: number; concurrent: number }[],
  };
  /** Roles in the guild: id -> name. */
  readonly roles = new Map<string, string>();

  private readonly channels = new Map<string, { id: string; name: string; guildId?: string; messages: StoredMessage[] }>();
  private readonly dms = new Map<string, string>();
  private readonly interested = new Map<string, string[]>();
  private incomingFiles: NonNullable<StoredMessage['attachments']> = [];
  private readonly deniedChannels = new Map<string, number>();
  /** Members seen in interactions (GET /guilds/:id/members/:user answers with them). */
  private readonly members = new Map<string, Json>();
  private readonly commands = new Map<string, Json[]>();
  private readonly events = new Map<string, ScheduledEvent>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly callbackWaiters = new Map<string, ((c: CallbackRecord) => void)[]>();
  private readonly faults: { method: string; path: RegExp; fault: Fault }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly readyWaiters: (() => void)[] = [];
  /** Gateway sessions by id; a closed socket leaves its session resumable (missed dispatches are queued). */
  private readonly sessions = new Map<string, GatewaySession>();
  private globalLimit?: { perSecond: number; windowStart: number; count: number };
  private channelLimit?: { limit: number; windowMs: number; buckets: Map<string, { start: number; count: number }> };
  private snowflakeCounter = 0n;
  private lagMs = 0;
  private readonly interactionsKey = generateKeyPairSync('ed25519');
  private interactionsEndpoint?: string;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.token = options.token ?? 'test-bot-token';
    this.applicationId = options.applicationId ?? '1100000000000000001';
    this.guildId = options.guildId ?? '1200000000000000001';
    this.botUser = { id: options.botUserId ?? this.applicationId, username: 'sremuc-bot', global_name: null, discriminator: '0', avatar: null, bot: true };
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.now = options.now ?? Date.now;
    for (const channel of options.channels ?? ['1300000000000000001']) this.addChannel(channel);
  }

  private readonly heartbeatIntervalMs: number;
  /** Wall clock (ms) for scheduled-event validation and nonce windows; tests with a ManualClock pass theirs. */
  private readonly now: () => number;

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    await listenOnLoopback(server, (req, res) => fake.handle(req, res), (req, socket, head) => fake.upgrade(req, socket, head));
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  /** What to pass as discord.js `rest.api` (discord.js appends `/v10`). */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  get gatewayUrl(): string {
    return `${this.url.replace('http', 'ws')}/gateway`;
  }

  // ---- state and test API ------------------------------------------------------------------------------------

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  addChannel(id: string, name = `channel-${id.slice(-4)}`, guildId: string | undefined = this.guildId): void {
    if (!this.channels.has(id)) this.channels.set(id, { id, name, guildId, messages: [] });
  }

  /** The bot lacks access to the channel: sends answer 403 with this JSON error code (50001 Missing Access, 50013 Missing Permissions). */
  denyChannel(id: string, code: 50001 | 50013 = 50001): void {
    this.deniedChannels.set(id, code);
  }

  /** Messages in a channel, oldest first. */
  messages(channelId: string): StoredMessage[] {
    return [...(this.channels.get(channelId)?.messages ?? [])];
  }

  /** Puts a message into a channel as if sent earlier (by the bot unless an author is given). */
  seedMessage(channelId: string, message: Partial<Omit<StoredMessage, 'id' | 'channel_id'>> = {}): StoredMessage {
    this.addChannel(channelId);
    const stored = this.newMessage(channelId, { content: '', embeds: [], components: [], flags: 0, pings: [], ...message });
    this.channels.get(channelId)!.messages.push(stored);
    return stored;
  }

  registeredCommands(guildId?: string): Json[] {
    return [...(this.commands.get(guildId ?? 'global') ?? [])];
  }

  scheduledEvents(guildId: string = this.guildId): ScheduledEvent[] {
    return [...this.events.values()].filter((e) => e.guild_id === guildId);
  }

  /** Changes a scheduled event behind the bot's back (an admin edited or cancelled it in the client). */
  editScheduledEvent(id: string, change: Partial<ScheduledEvent>): void {
    const event = this.events.get(id);
    if (!event) throw new Error(`no scheduled event ${id}`);
    Object.assign(event, change);
  }

  deleteScheduledEvent(id: string): void {
    this.events.delete(id);
  }

  interaction(id: string): InteractionState {
    const state = this.interactions.get(id);
    if (!state) throw new Error(`no interaction ${id}`);
    return state;
  }

  /** The next `times` requests matching method and path answer with this fault instead. */
  failNext(match: { method: string; path: RegExp }, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ ...match, fault });
  }

  failMessageCreates(times: number, fault: Fault): void {
    this.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, fault, times);
  }

  /** Message lists show a message only this long after it was created (0: at once). */
  historyLag(ms: number): void {
    this.lagMs = ms;
  }

  /** Drops every queued fault (the end of an outage). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  setGlobalRateLimit(perSecond: number | undefined): void {
    this.globalLimit = perSecond ? { perSecond, windowStart: -Infinity, count: 0 } : undefined;
  }

  limitMessagesPerChannel(limit: number, windowMs: number): void {
    this.channelLimit = { limit, windowMs, buckets: new Map() };
  }

  /** Resolves once a client has identified (or resumed) and is ready for dispatches. */
  ready(): Promise<void> {
    if ([...this.sessions.values()].some((s) => s.socket)) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Closes the gateway socket with a close code, as Discord does on a restart or a network hiccup. With a
   * resumable code (4000 and most others) the client reconnects to resume_gateway_url and resumes.
   */
  disconnect(code = 4000): void {
    for (const session of this.sessions.values()) {
      const socket = session.socket;
      session.socket = undefined;
      socket?.close(code, 'fake disconnect');
    }
  }

  /** Sends INTERACTION_CREATE for a slash command, autocomplete, button press or modal submit. */
  dispatchInteraction(spec: InteractionSpec): InteractionHandle {
    const id = this.snowflake();
    const token = `itok-${randomBytes(12).toString('hex')}`;
    const payload: Json = {
      id,
      token,
      application_id: this.applicationId,
      version: 1,
      locale: 'en-US',
      app_permissions: String(PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages),
      entitlements: [],
      authorizing_integration_owners: { 0: this.guildId },
      attachment_size_limit: 10485760,
      ...this.actor(spec),
      ...this.interactionBody(spec),
    };
    const state: InteractionState = { id, token, type: payload.type as number, payload, dispatchedAt: this.now(), callbacks: [], followUps: [] };
    this.interactions.set(id, state);
    const firstCallback = new Promise<CallbackRecord>((resolve) => this.callbackWaiters.set(id, [resolve]));
    if (this.interactionsEndpoint) void this.postInteraction(this.interactionsEndpoint, state);
    else this.dispatch('INTERACTION_CREATE', payload, spec.dm ? undefined : (payload.guild_id as string));
    return { id, token, firstCallback, state };
  }

  /** The application's public key as the Developer Portal shows it (hex of the raw 32 bytes). */
  get publicKeyHex(): string {
    return this.interactionsKey.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  }

  /** From now on, interactions are POSTed to `url` (signed) instead of sent over the gateway. */
  useInteractionsEndpoint(url: string | undefined): void {
    this.interactionsEndpoint = url;
  }

  /** POSTs a body to an interactions endpoint, signed with the application's key unless `forge` says otherwise. */
  async signedPost(url: string, body: string, options: { forge?: 'key' | 'body'; timestamp?: number } = {}): Promise<{ status: number; body: string; sent: SignedInteraction }> {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const key = options.forge === 'key' ? generateKeyPairSync('ed25519').privateKey : this.interactionsKey.privateKey;
    const signature = sign(null, Buffer.from(timestamp + body), key).toString('hex');
    const sent = { signature, timestamp, body: options.forge === 'body' ? body.replace(/}$/, ',"x":1}') : body };
    const answer = await FakeDiscord.send(url, sent);
    return { ...answer, sent };
  }

  /** Sends exactly these bytes and headers (a captured request, replayed). */
  static async send(url: string, request: SignedInteraction): Promise<{ status: number; body: string }> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-ed25519': request.signature, 'x-signature-timestamp': request.timestamp, 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)' },
      body: request.body,
    });
    return { status: res.status, body: await res.text() };
  }

  /** What the Developer Portal checks before it saves an Interactions Endpoint URL; true when both pass. */
  async checkInteractionsEndpoint(url: string): Promise<{ ping: { status: number; body: string }; forged: { status: number; body: string }; ok: boolean }> {
    const ping = JSON.stringify({ id: this.snowflake(), token: `itok-${randomBytes(12).toString('hex')}`, type: 1, application_id: this.applicationId, version: 1 });
    const answered = await this.signedPost(url, ping);
    const forged = await this.signedPost(url, ping, { forge: 'key' });
    let pong = false;
    try {
      pong = answered.status === 200 && (JSON.parse(answered.body) as Json).type === 1;
    } catch {
      pong = false;
    }
    return { ping: answered, forged, ok: pong && forged.status === 401 };
  }

  private async postInteraction(url: string, state: InteractionState): Promise<void> {
    try {
      const { sent, ...answer } = await this.signedPost(url, JSON.stringify(state.payload));
      state.sent = sent;
      state.endpointAnswer = answer;
      // A JSON interaction response in the answer is the first callback, held to the same rules as a REST one.
      if (answer.status === 200 && answer.body.length > 0) this.callback(state.id, state.token, JSON.parse(answer.body) as Json);
    } catch (error) {
      state.endpointAnswer = { status: state.endpointAnswer?.status ?? 0, body: String(error) };
    }
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- interactions ------------------------------------------------------------------------------------------

  private actor(spec: InteractionSpec): Json {
    const channelId = spec.channelId ?? [...this.channels.keys()][0]!;
    const m = spec.member ?? { id: '1400000000000000001' };
    const user = { id: m.id, username: m.username ?? `user${m.id.slice(-4)}`, global_name: m.globalName ?? null, discriminator: '0', avatar: null };
    // The server is the channel's (addChannel(id, name, guildId)): one bot user in several servers.
    const guildId = this.channels.get(channelId)?.guildId ?? this.guildId;
    const channel = { id: channelId, type: 0, name: this.channels.get(channelId)?.name ?? 'general', guild_id: spec.dm ? undefined : guildId };
    if (spec.dm) return { user, channel, channel_id: channelId, context: 1 };
    const member = {
      user,
      nick: m.nick ?? null,
      roles: m.roles ?? [],
      joined_at: '2023-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      permissions: String(m.permissions ?? PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages),
    };
    const { permissions: _computed, ...guildMember } = member;
    this.members.set(m.id, guildMember);
    return { guild_id: guildId, guild_locale: 'en-US', member, channel, channel_id: channelId, context: 0 };
  }

  private interactionBody(spec: InteractionSpec): Json {
    switch (spec.kind) {
      case 'command':
      case 'autocomplete': {
        const command = this.findCommand(spec.name);
        const focused = spec.kind === 'autocomplete' ? spec.focused : undefined;
        const subOption = command && spec.subcommand ? (command.options as Json[] | undefined)?.find((o) => o.name === spec.subcommand) : command;
        const optionDefs = (subOption?.options as Json[] | undefined) ?? [];
        const values = Object.entries(spec.options ?? {}).map(([name, value]) => ({
          name,
          type: (optionDefs.find((o) => o.name === name)?.type as number | undefined) ?? inferOptionType(value),
          value,
          ...(name === focused ? { focused: true } : {}),
        }));
        const options = spec.subcommand ? [{ name: spec.subcommand, type: 1, options: values }] : values;
        return {
          type: spec.kind === 'command' ? 2 : 4,
          data: { id: (command?.id as string | undefined) ?? this.snowflake(), name: spec.name, type: 1, options, guild_id: command?.guild_id },
        };
      }
      case 'button': {
        const message = spec.messageId ? this.findMessage(spec.messageId) : this.findMessageWithButton(spec.customId);
        if (!message) throw new Error(`no message carries a button ${spec.customId}: the bot must have sent one`);
        return { type: 3, data: { custom_id: spec.customId, component_type: 2 }, message: this.publicMessage(message) };
      }
      case 'modalSubmit': {
        const modal = spec.fromModal ? this.interaction(spec.fromModal).modal : undefined;
        if (spec.fromModal && !modal) throw new Error(`interaction ${spec.fromModal} showed no modal`);
        const customId = spec.customId ?? (modal?.custom_id as string);
        return { type: 5, data: { custom_id: customId, components: modalSubmitComponents(modal, spec.values) } };
      }
    }
  }

  private findCommand(name: string): Json | undefined {
    return [...(this.commands.get(this.guildId) ?? []), ...(this.commands.get('global') ?? [])].find((c) => c.name === name);
  }

  private findMessage(id: string): StoredMessage | undefined {
    for (const channel of this.channels.values()) {
      const found = channel.messages.find((m) => m.id === id);
      if (found) return found;
    }
    for (const state of this.interactions.values()) {
      const found = [state.original, ...state.followUps].find((m) => m?.id === id);
      if (found) return found;
    }
    return undefined;
  }

  private findMessageWithButton(customId: string): StoredMessage | undefined {
    const all = [...[...this.channels.values()].flatMap((c) => c.messages), ...[...this.interactions.values()].flatMap((s) => [s.original, ...s.followUps])];
    return all.reverse().find((m) => m?.components.some((row) => (row.components as Json[]).some((c) => c.custom_id === customId)));
  }

  private callback(id: string, token: string, body: Json): { status: number; body?: Json } {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) throw unknown('interaction', 10062);
    if (state.callbacks.length > 0) throw new DiscordHttpError(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
    if (this.now() - state.dispatchedAt > INTERACTION_DEADLINE_MS) throw unknown('interaction', 10062);
    const type = body.type as number;
    const data = body.data as Json | undefined;
    const allowed: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
    if (!allowed[state.type]?.includes(type)) throw invalidForm({ type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Response type ${type} is not valid for interaction type ${state.type}` }] } });

    if (type === 4) {
      validateMessage(data ?? {}, false);
      state.original = this.responseMessage(state, data ?? {}, 0);
    } else if (type === 5) {
      state.original = this.responseMessage(state, { content: '' }, LOADING | ((data?.flags as number | undefined) ?? 0));
    } else if (type === 7) {
      validateMessage(data ?? {}, true);
      const message = this.findMessage((state.payload.message as Json | undefined)?.id as string);
      if (message) this.applyEdit(message, data ?? {});
    } else if (type === 8) {
      validateChoices(data?.choices);
    } else if (type === 9) {
      validateModal(data ?? {});
      state.modal = data;
    }
    const record: CallbackRecord = { type, data, time: performance.now() };
    state.callbacks.push(record);
    for (const waiter of this.callbackWaiters.get(id) ?? []) waiter(record);
    this.callbackWaiters.delete(id);
    return { status: 204 };
  }

  private responseMessage(state: InteractionState, data: Json, extraFlags: number): StoredMessage {
    const channelId = (state.payload.channel_id as string | undefined) ?? '';
    const message = this.newMessage(channelId, {
      content: (data.content as string | undefined) ?? '',
      embeds: (data.embeds as Json[] | undefined) ?? [],
      components: (data.components as Json[] | undefined) ?? [],
      flags: ((data.flags as number | undefined) ?? 0) | extraFlags,
      pings: pingsOf(data),
      interactionId: state.id,
    });
    // A public response is part of the channel; an ephemeral one only the caller sees.
    if (!(message.flags & EPHEMERAL)) this.channels.get(channelId)?.messages.push(message);
    return message;
  }

  private webhook(method: string, appId: string, token: string, target: string | undefined, body: Json): { status: number; body?: Json } {
    const state = [...this.interactions.values()].find((s) => s.token === token);
    if (appId !== this.applicationId || !state) throw unknown('Webhook', 10015);
    if (target === undefined) {
      if (method !== 'POST') throw new DiscordHttpError(405, { code: 0, message: '405: Method Not Allowed' });
      if (state.callbacks.length === 0) throw unknown('Webhook', 10015);
      validateMessage(body, false);
      const message = this.responseMessage(state, body, 0);
      state.followUps.push(message);
      return { status: 200, body: this.publicMessage(message) };
    }
    const message = target === '@original' ? (state.originalDeleted ? undefined : state.original) : state.followUps.find((m) => m.id === target);
    if (!message) throw unknown('Message', 10008);
    if (method === 'GET') return { status: 200, body: this.publicMessage(message) };
    if (method === 'DELETE') {
      if (target === '@original') state.originalDeleted = true;
      this.removeFromChannel(message);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      validateMessage(body, true);
      this.applyEdit(message, body);
      message.flags &= ~LOADING;
      return { status: 200, body: this.publicMessage(message) };
    }
    throw new DiscordHttpError(405, { code: 0, message: '405: Method Not Allowed' });
  }

  // ---- channels and messages ---------------------------------------------------------------------------------

  private channel(id: string) {
    const channel = this.channels.get(id);
    if (!channel) throw unknown('Channel', 10003);
    const denied = this.deniedChannels.get(id);
    if (denied) throw new DiscordHttpError(403, { code: denied, message: denied === 50001 ? 'Missing Access' : 'Missing Permissions' });
    return channel;
  }

  private createMessage(channelId: string, body: Json): Json {
    const channel = this.channel(channelId);
    validateMessage(body, false);
    if (body.enforce_nonce === true && body.nonce !== undefined) {
      const earlier = channel.messages.find((m) => m.nonce === body.nonce && m.author.id === this.botUser.id && this.now() - m.createdAt < NONCE_WINDOW_MS);
      if (earlier) return { ...this.publicMessage(earlier), nonce: earlier.nonce };
    }
    const message = this.newMessage(channelId, {
      content: (body.content as string | undefined) ?? '',
      embeds: (body.embeds as Json[] | undefined) ?? [],
      components: (body.components as Json[] | undefined) ?? [],
      flags: (body.flags as number | undefined) ?? 0,
      nonce: body.nonce as string | undefined,
      pings: pingsOf(body),
    });
    channel.messages.push(message);
    return { ...this.publicMessage(message), ...(message.nonce !== undefined ? { nonce: message.nonce } : {}) };
  }

  private editMessage(channelId: string, messageId: string, body: Json): Json {
    const message = this.channel(channelId).messages.find((m) => m.id === messageId);
    if (!message) throw unknown('Message', 10008);
    if (message.author.id !== this.botUser.id) throw new DiscordHttpError(403, { code: 50005, message: 'Cannot edit a message authored by another user' });
    validateMessage(body, true);
    this.applyEdit(message, body);
    return this.publicMessage(message);
  }

  private listMessages(channelId: string, query: Record<string, string>): Json[] {
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidForm({ limit: { _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }] } });
    const visibleBy = this.now() - this.lagMs;
    let newestFirst = [...this.channel(channelId).messages].reverse().filter((m) => m.createdAt <= visibleBy);
    if (query.before) newestFirst = newestFirst.filter((m) => BigInt(m.id) < BigInt(query.before!));
    if (query.after) newestFirst = newestFirst.filter((m) => BigInt(m.id) > BigInt(query.after!)).slice(-limit);
    return newestFirst.slice(0, limit).map((m) => this.publicMessage(m));
  }

  private applyEdit(message: StoredMessage, body: Json): void {
    if ('content' in body) message.content = (body.content as string | null) ?? '';
    if ('embeds' in body) message.embeds = (body.embeds as Json[] | null) ?? [];
    if ('components' in body) message.components = (body.components as Json[] | null) ?? [];
    // An edit can only switch link previews on or off (SUPPRESS_EMBEDS); other flags stay as they were.
    if ('flags' in body) message.flags = (message.flags & ~SUPPRESS_EMBEDS) | (((body.flags as number | null) ?? 0) & SUPPRESS_EMBEDS);
    message.pings = pingsOf({ content: message.content, allowed_mentions: body.allowed_mentions });
    message.edited_timestamp = new Date(this.now()).toISOString();
    if (this.incomingFiles.length > 0) message.attachments = [...(message.attachments ?? []), ...this.incomingFiles.splice(0)];
  }

  private removeFromChannel(message: StoredMessage): void {
    const list = this.channels.get(message.channel_id)?.messages;
    const at = list?.indexOf(message) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }

  private newMessage(channelId: string, fields: Partial<StoredMessage> & Pick<StoredMessage, 'content' | 'embeds' | 'components' | 'flags' | 'pings'>): StoredMessage {
    // Files of the multipart request being handled belong to the message it creates.
    const attachments = this.incomingFiles.splice(0);
    return {
      id: this.snowflake(),
      channel_id: channelId,
      author: this.botUser,
      timestamp: new Date(this.now()).toISOString(),
      edited_timestamp: null,
      createdAt: this.now(),
      ...(attachments.length > 0 ? { attachments } : {}),
      ...fields,
    };
  }

  /** The DM channel with a member, if the bot opened one. */
  dmChannel(userId: string): string | undefined {
    return this.dms.get(userId);
  }

  /** Members who pressed "Interested" on a scheduled event. */
  setInterested(eventId: string, userIds: string[]): void {
    this.interested.set(eventId, [...userIds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
  }

  private openDm(recipientId: unknown): Json {
    if (typeof recipientId !== 'string' || !/^\d{5,}$/.test(recipientId)) throw invalidForm({ recipient_id: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: 'Value is not snowflake.' }] } });
    let id = this.dms.get(recipientId);
    if (!id) {
      id = this.snowflake();
      this.dms.set(recipientId, id);
      this.channels.set(id, { id, name: `dm-${recipientId}`, messages: [] });
    }
    return { id, type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipientId, username: `user${recipientId.slice(-4)}`, discriminator: '0', global_name: null, avatar: null }] };
  }

  private eventUsers(eventId: string, query: Record<string, string>): Json[] {
    if (!this.events.has(eventId)) throw unknown('Guild Scheduled Event', 10070);
    const limit = Math.min(Number(query.limit ?? 100), 100);
    const after = query.after ? BigInt(query.after) : 0n;
    return (this.interested.get(eventId) ?? [])
      .filter((id) => BigInt(id) > after)
      .slice(0, limit)
      .map((id) => ({ guild_scheduled_event_id: eventId, user: { id, username: `user${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null } }));
  }

  /** A message as the API returns it: no nonce, no fake bookkeeping. */
  private publicMessage(m: StoredMessage): Json {
    const channel = this.channels.get(m.channel_id);
    return {
      id: m.id,
      type: m.interactionId ? 20 : 0,
      channel_id: m.channel_id,
      ...(channel?.guildId ? { guild_id: channel.guildId } : {}),
      author: m.author,
      content: m.content,
      timestamp: m.timestamp,
      edited_timestamp: m.edited_timestamp,
      tts: false,
      mention_everyone: m.pings.includes('@everyone') || m.pings.includes('@here'),
      mentions: [],
      mention_roles: [],
      attachments: (m.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename, size: a.content.length, url: `${this.url}/attachments/${a.id}/${a.filename}`, proxy_url: `${this.url}/attachments/${a.id}/${a.filename}`, content_type: a.content_type })),
      embeds: m.embeds,
      components: m.components,
      pinned: false,
      flags: m.flags,
      ...(m.author.bot ? { application_id: this.applicationId } : {}),
    };
  }

  // ---- application commands ----------------------------------------------------------------------------------

  private putCommands(scope: string, body: unknown): Json[] {
    if (!Array.isArray(body)) throw invalidForm({ _errors: [{ code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' }] });
    if (body.length > 100) throw invalidForm({ _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }] });
    const errors: Json = {};
    body.forEach((c: Json, i) => {
      const problems = validateCommand(c);
      if (problems.length) errors[i] = { _errors: problems.map((message) => ({ code: 'INVALID_COMMAND', message })) };
    });
    const names = body.map((c: Json) => c.name);
    if (new Set(names).size !== names.length) errors._errors = [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' }];
    if (Object.keys(errors).length) throw invalidForm(errors);
    const previous = this.commands.get(scope) ?? [];
    const stored = body.map((c: Json) => ({
      id: (previous.find((p) => p.name === c.name)?.id as string | undefined) ?? this.snowflake(),
      application_id: this.applicationId,
      version: this.snowflake(),
      type: 1,
      default_member_permissions: null,
      ...(scope === 'global' ? {} : { guild_id: scope }),
      ...c,
    }));
    this.commands.set(scope, stored);
    return stored;
  }

  // ---- scheduled events --------------------------------------------------------------------------------------

  private createEvent(guildId: string, body: Json): ScheduledEvent {
    validateEvent(body, undefined, this.now());
    const event: ScheduledEvent = {
      id: this.snowflake(),
      guild_id: guildId,
      channel_id: (body.channel_id as string | undefined) ?? null,
      creator_id: this.botUser.id,
      name: body.name as string,
      description: (body.description as string | undefined) ?? null,
      scheduled_start_time: normaliseTime(body.scheduled_start_time as string),
      scheduled_end_time: body.scheduled_end_time ? normaliseTime(body.scheduled_end_time as string) : null,
      privacy_level: body.privacy_level as number,
      status: 1,
      entity_type: body.entity_type as number,
      entity_id: null,
      entity_metadata: (body.entity_metadata as ScheduledEvent['entity_metadata']) ?? null,
      creator: this.botUser,
      user_count: 0,
      image: null,
    };
    this.events.set(event.id, event);
    return event;
  }

  private patchEvent(guildId: string, id: string, body: Json): ScheduledEvent {
    const event = this.events.get(id);
    if (!event || event.guild_id !== guildId) throw unknown('Guild Scheduled Event', 10070);
    validateEvent({ ...event, ...body }, event, this.now(), body);
    const { scheduled_start_time: start, scheduled_end_time: end, ...rest } = body;
    Object.assign(event, rest);
    if (start) event.scheduled_start_time = normaliseTime(start as string);
    if (end) event.scheduled_end_time = normaliseTime(end as string);
    // Cancelled and completed events leave the guild's list, as on Discord.
    if (event.status === 3 || event.status === 4) this.events.delete(id);
    return event;
  }

  // ---- HTTP --------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const route = '/' + segments.join('/');
    const query = Object.fromEntries(url.searchParams);
    let body: unknown;
    let files: NonNullable<StoredMessage['attachments']> = [];
    const multipart = req.headers['content-type']?.startsWith('multipart/form-data');
    try {
      if (multipart) ({ body, files } = await this.readMultipart(raw, req.headers['content-type']!));
      else body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const authorized = req.headers.authorization === `Bot ${this.token}`;
    const record: RecordedRequest = { method, path: route, query, body, time: performance.now(), status: 0, authorized };
    this.requests.push(record);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (status === 204) res.writeHead(204, headers).end();
      else {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json ?? {}));
      }
    };

    if (!url.pathname.startsWith(API_PREFIX)) return reply(404, { message: '404: Not Found', code: 0 });
    const tokenRoute = segments[0] === 'interactions' || segments[0] === 'webhooks';
    if (!tokenRoute) {
      const limited = this.globalLimited();
      if (limited) return this.rateLimited(reply, route, limited);
    }
    const taken = this.takeFault(method, route);
    const fault = taken && 'pass' in taken ? undefined : taken;
    if (fault && ('hang' in fault || 'storeThen' in fault)) {
      const run = () => {
        try {
          this.route(method, segments, query, (body ?? {}) as Json);
        } catch {
          // The answer is lost anyway.
        }
      };
      if ('hang' in fault) return void fault.storeWhen?.then(run);
      run();
      if (fault.storeThen === 500) return reply(500, { message: '500: Internal Server Error', code: 0 });
      if (fault.storeThen === 'reset') req.socket.destroy();
      return;
    }
    if (fault) return this.replyFault(reply, route, fault);
    if (!tokenRoute && !authorized) return reply(401, { message: '401: Unauthorized', code: 0 });
    const limitHeaders = this.channelLimitHeaders(method, segments);
    if (limitHeaders && 'retryAfter' in limitHeaders) return this.rateLimited(reply, route, limitHeaders);
    try {
      // Set and cleared around the synchronous route: the files belong to the message this request creates.
      this.incomingFiles = files;
      const { status, body: out } = this.route(method, segments, query, (body ?? {}) as Json);
      this.incomingFiles = [];
      reply(status, out, limitHeaders?.headers);
    } catch (error) {
      this.incomingFiles = [];
      if (error instanceof DiscordHttpError) return reply(error.status, error.body);
      reply(500, { message: `fake discord: ${(error as Error).message}`, code: 0 });
    }
  }

  /** Discord's multipart form: the JSON body in payload_json, files in files[n] (their text kept for tests). */
  private async readMultipart(raw: string, contentType: string): Promise<{ body: unknown; files: NonNullable<StoredMessage['attachments']> }> {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown = {};
    const files: NonNullable<StoredMessage['attachments']> = [];
    for (const [name, value] of (form as unknown as { entries(): IterableIterator<[string, string | File]> }).entries()) {
      if (name === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (/^files\[\d+\]$/.test(name) && typeof value !== 'string') {
        files.push({ id: this.snowflake(), filename: value.name, content: await value.text(), content_type: value.type || undefined });
      }
    }
    return { body, files };
  }

  private route(method: string, s: string[], query: Record<string, string>, body: Json): { status: number; body?: unknown } {
    const ok = (json: unknown) => ({ status: 200, body: json });
    const [a, b, c, d, e] = s;
    const at = (pattern: string) => matches(s, pattern);

    if (method === 'GET' && at('gateway/bot')) {
      return ok({ url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'GET' && at('users/@me')) return ok(this.botUser);
    if (method === 'POST' && at('users/@me/channels')) return ok(this.openDm(body.recipient_id));
    if (a === 'interactions' && d === 'callback' && s.length === 4 && method === 'POST') return this.callback(b!, c!, body);
    if (a === 'webhooks') return this.webhook(method, b!, c!, d === 'messages' ? e : undefined, body);
    if (a === 'applications' && b === this.applicationId) {
      const scope = c === 'guilds' ? d! : 'global';
      if ((c === 'commands' && s.length === 3) || (c === 'guilds' && e === 'commands' && s.length === 5)) {
        if (method === 'PUT') return ok(this.putCommands(scope, body));
        if (method === 'GET') return ok(this.registeredCommands(scope === 'global' ? undefined : scope));
      }
    }
    if (a === 'channels' && b) {
      if (s.length === 2 && method === 'GET') {
        const channel = this.channel(b);
        return ok({ id: channel.id, type: 0, name: channel.name, guild_id: channel.guildId, position: 0, permission_overwrites: [], nsfw: false, parent_id: null });
      }
      if (c === 'messages' && s.length === 3) {
        if (method === 'POST') return ok(this.createMessage(b, body));
        if (method === 'GET') return ok(this.listMessages(b, query));
      }
      if (c === 'messages' && d && s.length === 4) {
        const message = this.channel(b).messages.find((m) => m.id === d);
        if (method === 'PATCH') return ok(this.editMessage(b, d, body));
        if (!message) throw unknown('Message', 10008);
        if (method === 'GET') return ok(this.publicMessage(message));
        if (method === 'DELETE') {
          this.removeFromChannel(message);
          return { status: 204 };
        }
      }
    }
    if (a === 'guilds' && b) {
      if (b !== this.guildId) throw unknown('Guild', 10004);
      if (s.length === 2 && method === 'GET') return ok(this.guildObject());
      if (c === 'roles' && s.length === 3 && method === 'GET') return ok(this.roleObjects());
      if (c === 'members' && d && s.length === 4 && method === 'GET') {
        const found = this.members.get(d);
        if (!found) throw unknown('Member', 10007);
        return ok(found);
      }
      if (c === 'channels' && s.length === 3 && method === 'GET') return ok(this.guildCreate(b).channels as Json[]);
      if (c === 'scheduled-events') {
        if (s.length === 3 && method === 'GET') return ok(this.scheduledEvents(b));
        if (s.length === 3 && method === 'POST') return ok(this.createEvent(b, body));
        const event = d ? this.events.get(d) : undefined;
        if (s.length === 4 && method === 'PATCH') return ok(this.patchEvent(b, d!, body));
        if (!event) throw unknown('Guild Scheduled Event', 10070);
        if (s.length === 4 && method === 'GET') return ok(event);
        if (s.length === 5 && e === 'users' && method === 'GET') return ok(this.eventUsers(d!, query));
        if (s.length === 4 && method === 'DELETE') {
          this.events.delete(d!);
          return { status: 204 };
        }
      }
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  private takeFault(method: string, route: string): Fault | undefined {
    const at = this.faults.findIndex((f) => f.method === method && f.path.test(route));
    if (at < 0) return undefined;
    return this.faults.splice(at, 1)[0]!.fault;
  }

  private replyFault(reply: (status: number, json?: unknown, headers?: Record<string, string>) => void, route: string, fault: Extract<Fault, { status: number }>): void {
    if (fault.status === 429) {
      return this.rateLimited(reply, route, {
        retryAfter: fault.retryAfter,
        headers: {
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String((this.now() + fault.retryAfter * 1000) / 1000),
          'x-ratelimit-reset-after': String(fault.retryAfter),
          'x-ratelimit-bucket': fault.bucket ?? 'fake-bucket',
          'x-ratelimit-scope': fault.scope ?? 'user',
        },
      });
    }
    if ('code' in fault) return reply(fault.status, { code: fault.code, message: fault.message ?? `fake error ${fault.code}` });
    reply(fault.status, { message: `${fault.status}: Internal Server Error`, code: 0 });
  }

  private rateLimited(
    reply: (status: number, json?: unknown, headers?: Record<string, string>) => void,
    route: string,
    limit: { retryAfter: number; headers: Record<string, string>; global?: boolean },
  ): void {
    this.rateLimits.total++;
    if (limit.global) this.rateLimits.global++;
    const key = route.replace(/\d{5,}/g, ':id');
    this.rateLimits.byRoute.set(key, (this.rateLimits.byRoute.get(key) ?? 0) + 1);
    reply(
      429,
      { message: 'You are being rate limited.', retry_after: limit.retryAfter, global: limit.global ?? false },
      { 'retry-after': String(limit.retryAfter), ...limit.headers },
    );
  }

  /** Discord's global limit: answers with integer Retry-After in the header and the exact wait in the body. */
  private globalLimited(): { retryAfter: number; headers: Record<string, string>; global: true } | undefined {
    const limit = this.globalLimit;
    if (!limit) return undefined;
    const now = performance.now();
    if (now - limit.windowStart >= 1000) {
      limit.windowStart = now;
      limit.count = 0;
    }
    limit.count++;
    if (limit.count <= limit.perSecond) return undefined;
    const wait = (1000 - (now - limit.windowStart)) / 1000;
    return { retryAfter: Math.max(1, Math.ceil(wait)), headers: { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }, global: true };
  }

  private channelLimitHeaders(method: string, s: string[]): { headers: Record<string, string> } | { retryAfter: number; headers: Record<string, string> } | undefined {
    const limit = this.channelLimit;
    if (!limit || method !== 'POST' || s[0] !== 'channels' || s[2] !== 'messages' || s.length !== 3) return undefined;
    const now = performance.now();
    const bucket = limit.buckets.get(s[1]!) ?? { start: now, count: 0 };
    if (now - bucket.start >= limit.windowMs) Object.assign(bucket, { start: now, count: 0 });
    limit.buckets.set(s[1]!, bucket);
    const resetAfter = (limit.windowMs - (now - bucket.start)) / 1000;
    const headers = (remaining: number) => ({
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String((this.now() + resetAfter * 1000) / 1000),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': 'channel-messages',
    });
    if (bucket.count >= limit.limit) return { retryAfter: Math.max(1, Math.ceil(resetAfter)), headers: { ...headers(0), 'x-ratelimit-scope': 'user' } };
    bucket.count++;
    return { headers: headers(limit.limit - bucket.count) };
  }

  private guildObject(): Json {
    return {
      id: this.guildId,
      name: 'SRE Munich',
      icon: null,
      owner_id: '1400000000000000099',
      roles: this.roleObjects(),
      emojis: [],
      stickers: [],
      features: [],
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      mfa_level: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      system_channel_flags: 0,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
    };
  }

  private roleObjects(): Json[] {
    const everyone = { id: this.guildId, name: '@everyone', permissions: String(PERMISSIONS.ViewChannel | PERMISSIONS.SendMessages), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
    return [everyone, ...[...this.roles].map(([id, name], i) => ({ ...everyone, id, name, position: i + 1, permissions: '0' }))];
  }

  // ---- gateway -----------------------------------------------------------------------------------------------

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path !== '/gateway' && path !== '/gateway-resume') return void socket.destroy();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      this.gateway.connections++;
      ws.on('close', () => {
        this.sockets.delete(ws);
        for (const session of this.sessions.values()) if (session.socket === ws) session.socket = undefined;
      });
      ws.on('message', (data) => this.onGatewayMessage(ws, path, JSON.parse(data.toString()) as { op: number; d: Json & { token?: string; session_id?: string; seq?: number } }));
      ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['fake-discord'] }, s: null, t: null }));
    });
  }

  private onGatewayMessage(ws: WebSocket, path: string, payload: { op: number; d: Json & { token?: string; session_id?: string; seq?: number; intents?: number } }): void {
    switch (payload.op) {
      case 1:
        this.gateway.heartbeats++;
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        return;
      case 2: {
        if (payload.d.token !== this.token) return void ws.close(4004, 'Authentication failed.');
        this.gateway.identifies++;
        this.gateway.intents = payload.d.intents;
        const [shard, count] = Array.isArray(payload.d.shard) ? (payload.d.shard as number[]) : [0, 1];
        const session: GatewaySession = { id: randomBytes(16).toString('hex'), shard: shard!, count: count!, seq: 0, socket: ws, missed: [] };
        this.sessions.set(session.id, session);
        this.gateway.identifyLog.push({ shard: shard!, count: count!, at: performance.now(), concurrent: this.openSessions(shard!) });
        const guilds = this.guildIds().filter((g) => shardOf(g, count!) === shard);
        this.sendTo(session, 'READY', {
          v: 10,
          user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
          guilds: guilds.map((id) => ({ id, unavailable: true })),
          session_id: session.id,
          session_type: 'normal',
          resume_gateway_url: `${this.url.replace('http', 'ws')}/gateway-resume`,
          shard: [shard, count],
          application: { id: this.applicationId, flags: 0 },
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
        });
        for (const guild of guilds) this.sendTo(session, 'GUILD_CREATE', this.guildCreate(guild));
        this.signalReady();
        return;
      }
      case 6: {
        const session = payload.d.session_id ? this.sessions.get(payload.d.session_id) : undefined;
        if (payload.d.token !== this.token) return void ws.close(4004, 'Authentication failed.');
        if (!session || path !== '/gateway-resume') {
          ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
          return;
        }
        this.gateway.resumes++;
        session.socket = ws;
        const replay = session.missed.filter((p) => (p.s as number) > (payload.d.seq ?? 0));
        session.missed = [];
        for (const p of replay) ws.send(JSON.stringify(p));
        this.sendTo(session, 'RESUMED', {});
        this.signalReady();
        return;
      }
      default:
        return;
    }
  }

  /** Sessions of a shard whose socket is open now (each one a connection Discord sends the shard's events to). */
  openSessions(shard = 0): number {
    return [...this.sessions.values()].filter((s) => s.shard === shard && s.socket?.readyState === 1).length;
  }

  private signalReady(): void {
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }

  /** The servers the bot is in: the fake's own and every server a channel was added to. */
  private guildIds(): string[] {
    return [...new Set([this.guildId, ...[...this.channels.values()].map((c) => c.guildId).filter((g): g is string => g !== undefined)])];
  }

  private guildCreate(guildId: string): Json {
    const channels = [...this.channels.values()].filter((c) => c.guildId === guildId).map((c, i) => ({ id: c.id, type: 0, name: c.name, position: i, permission_overwrites: [], nsfw: false, parent_id: null, guild_id: guildId }));
    return { ...this.guildObject(), id: guildId, unavailable: false, joined_at: '2023-01-01T00:00:00.000Z', large: false, member_count: 2, members: [], channels, threads: [], presences: [], voice_states: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [] };
  }

  /** A dispatch goes to every session of the guild's shard (direct messages: shard 0), as Discord sends it. */
  private dispatch(t: string, d: Json, guildId?: string): void {
    const targets = [...this.sessions.values()].filter((s) => (guildId === undefined ? 0 : shardOf(guildId, s.count)) === s.shard);
    if (targets.length === 0) throw new Error('no gateway session for that shard: start the client first');
    for (const session of targets) this.sendTo(session, t, d);
  }

  /** Sends a dispatch with the session's next sequence number; without an open socket it waits for the resume. */
  private sendTo(session: GatewaySession, t: string, d: Json): void {
    const payload = { op: 0, t, s: ++session.seq, d };
    if (session.socket?.readyState === 1) session.socket.send(JSON.stringify(payload));
    else session.missed.push(payload);
  }

  private snowflake(): string {
    return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (++this.snowflakeCounter & 0x3fffffn));
  }
}

interface GatewaySession {
  id: string;
  shard: number;
  count: number;
  seq: number;
  socket?: WebSocket;
  missed: Json[];
}

/** Discord's shard formula: the guild id's timestamp bits modulo the shard count. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  guildId?: string;
  botUserId?: string;
  /** Text channels in the guild (ids). */
  channels?: string[];
  heartbeatIntervalMs?: number;
  now?: () => number;
}

function matches(segments: string[], pattern: string): boolean {
  const parts = pattern.split('/');
  return parts.length === segments.length && parts.every((p, i) => p === segments[i]);
}

function inferOptionType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

/** The components a modal submit carries, in the layout the modal was shown with. */
function modalSubmitComponents(modal: Json | undefined, values: Record<string, string>): Json[] {
  if (!modal) return Object.entries(values).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
  return (modal.components as Json[]).map((component) => {
    if (component.type === 18) {
      const input = component.component as Json;
      return { type: 18, id: component.id, component: { type: 4, id: input.id, custom_id: input.custom_id, value: values[input.custom_id as string] ?? '' } };
    }
    const input = (component.components as Json[])[0]!;
    return { type: 1, components: [{ type: 4, custom_id: input.custom_id, value: values[input.custom_id as string] ?? '' }] };
  });
}

/** Mentions in `content` that notify someone under `allowed_mentions` (absent: everything parses). */
function pingsOf(body: Json): string[] {
  const content = (body.content as string | undefined) ?? '';
  const allowed = body.allowed_mentions as { parse?: string[]; users?: string[]; roles?: string[] } | undefined;
  const parse = allowed ? (allowed.parse ?? []) : ['everyone', 'users', 'roles'];
  const pings: string[] = [];
  for (const match of content.matchAll(/@(everyone|here)\b|<@!?(\d+)>|<@&(\d+)>/g)) {
    if (match[1] && parse.includes('everyone')) pings.push(`@${match[1]}`);
    if (match[2] && (parse.includes('users') || allowed?.users?.includes(match[2]))) pings.push(`<@${match[2]}>`);
    if (match[3] && (parse.includes('roles') || allowed?.roles?.includes(match[3]))) pings.push(`<@&${match[3]}>`);
  }
  return pings;
}

function tooLong(errors: Json, key: string, value: unknown, max: number, min = 0): void {
  if (value === undefined || value === null) return;
  const length = String(value).length;
  if (length > max || length < min) {
    errors[key] = { _errors: [{ code: length > max ? 'BASE_TYPE_MAX_LENGTH' : 'BASE_TYPE_MIN_LENGTH', message: `Must be between ${min} and ${max} in length.` }] };
  }
}

/** Discord's message limits; `partial` for edits, where an empty body part means "unchanged". */
export function validateMessage(body: Json, partial: boolean): void {
  const errors: Json = {};
  const embeds = (body.embeds as Json[] | undefined) ?? [];
  const components = (body.components as Json[] | undefined) ?? [];
  tooLong(errors, 'content', body.content, 2000);
  if (embeds.length > 10) errors.embeds = { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] };
  let total = 0;
  embeds.forEach((embed, i) => {
    const fields = (embed.fields as Json[] | undefined) ?? [];
    const footer = embed.footer as Json | undefined;
    const author = embed.author as Json | undefined;
    tooLong(errors, `embeds.${i}.title`, embed.title, 256);
    tooLong(errors, `embeds.${i}.description`, embed.description, 4096);
    tooLong(errors, `embeds.${i}.footer.text`, footer?.text, 2048, 1);
    tooLong(errors, `embeds.${i}.author.name`, author?.name, 256, 1);
    if (fields.length > 25) errors[`embeds.${i}.fields`] = { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] };
    fields.forEach((field, j) => {
      tooLong(errors, `embeds.${i}.fields.${j}.name`, field.name ?? '', 256, 1);
      tooLong(errors, `embeds.${i}.fields.${j}.value`, field.value ?? '', 1024, 1);
      total += String(field.name ?? '').length + String(field.value ?? '').length;
    });
    if (embed.url !== undefined && !/^https?:\/\//.test(String(embed.url))) errors[`embeds.${i}.url`] = { _errors: [{ code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' }] };
    total += [embed.title, embed.description, footer?.text, author?.name].reduce<number>((n, s) => n + (s ? String(s).length : 0), 0);
  });
  if (total > 6000) errors.embeds = { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }] };
  validateComponents(errors, components);
  if (body.nonce !== undefined && String(body.nonce).length > 25) tooLong(errors, 'nonce', body.nonce, 25);
  if (Object.keys(errors).length) throw invalidForm(errors);
  const empty = !body.content && embeds.length === 0 && components.length === 0;
  if (empty && !partial) throw new DiscordHttpError(400, { code: 50006, message: 'Cannot send an empty message' });
}

function validateComponents(errors: Json, rows: Json[]): void {
  if (rows.length > 5) errors.components = { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' }] };
  rows.forEach((row, i) => {
    const buttons = (row.components as Json[] | undefined) ?? [];
    if (row.type !== 1 || buttons.length < 1 || buttons.length > 5) errors[`components.${i}`] = { _errors: [{ code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', message: 'An action row needs 1 to 5 buttons' }] };
    buttons.forEach((button, j) => {
      const key = `components.${i}.components.${j}`;
      tooLong(errors, `${key}.label`, button.label, 80, 1);
      if (button.style === 5) {
        if (!button.url || button.custom_id !== undefined) errors[key] = { _errors: [{ code: 'BUTTON_COMPONENT_INVALID_URL', message: 'Link buttons need a url and no custom_id' }] };
        tooLong(errors, `${key}.url`, button.url, 512);
      } else {
        if (!button.custom_id || button.url !== undefined) errors[key] = { _errors: [{ code: 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', message: 'A custom id is required' }] };
        tooLong(errors, `${key}.custom_id`, button.custom_id, 100, 1);
      }
    });
  });
  const ids = rows.flatMap((r) => ((r.components as Json[] | undefined) ?? []).map((c) => c.custom_id)).filter(Boolean);
  if (new Set(ids).size !== ids.length) errors.components = { _errors: [{ code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' }] };
}

function validateChoices(choices: unknown): void {
  const list = (choices as Json[] | undefined) ?? [];
  const errors: Json = {};
  if (list.length > 25) errors.choices = { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] };
  list.forEach((c, i) => {
    tooLong(errors, `choices.${i}.name`, c.name, 100, 1);
    tooLong(errors, `choices.${i}.value`, c.value, 100);
  });
  if (Object.keys(errors).length) throw invalidForm(errors);
}

function validateModal(data: Json): void {
  const errors: Json = {};
  tooLong(errors, 'title', data.title, 45, 1);
  tooLong(errors, 'custom_id', data.custom_id, 100, 1);
  const components = (data.components as Json[] | undefined) ?? [];
  if (components.length < 1 || components.length > 5) errors.components = { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' }] };
  components.forEach((component, i) => {
    const input = component.type === 18 ? (component.component as Json) : ((component.components as Json[] | undefined) ?? [])[0];
    if (!input || input.type !== 4) return void (errors[`components.${i}`] = { _errors: [{ code: 'UNION_TYPE_CHOICES', message: 'Expected a text input' }] });
    tooLong(errors, `components.${i}.label`, component.type === 18 ? component.label : input.label, 45, 1);
    tooLong(errors, `components.${i}.placeholder`, input.placeholder, 100);
    tooLong(errors, `components.${i}.custom_id`, input.custom_id, 100, 1);
    if (input.max_length !== undefined && ((input.max_length as number) < 1 || (input.max_length as number) > 4000)) errors[`components.${i}.max_length`] = { _errors: [{ code: 'NUMBER_TYPE_MAX', message: 'max_length 1..4000' }] };
  });
  if (Object.keys(errors).length) throw invalidForm(errors);
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Discord's rules for a chat input command; returns the problems found. */
export function validateCommand(command: Json, depth = 0): string[] {
  const problems: string[] = [];
  const name = String(command.name ?? '');
  if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) problems.push(`name "${name}" must be 1-32 lowercase letters, digits, - or _`);
  const description = String(command.description ?? '');
  if (description.length < 1 || description.length > 100) problems.push(`description of "${name}" must be 1-100 characters`);
  if (command.default_member_permissions !== undefined && command.default_member_permissions !== null && !/^\d+$/.test(String(command.default_member_permissions))) {
    problems.push('default_member_permissions must be a string of digits');
  }
  const options = (command.options as Json[] | undefined) ?? [];
  if (options.length > 25) problems.push(`"${name}" has more than 25 options`);
  const subcommands = options.filter((o) => o.type === 1 || o.type === 2);
  if (subcommands.length > 0 && subcommands.length !== options.length) problems.push(`"${name}" mixes subcommands and options`);
  if (subcommands.length > 0 && depth > 0) problems.push(`subcommand "${name}" cannot nest subcommands`);
  let optionalSeen = false;
  const names = new Set<string>();
  for (const option of options) {
    if (names.has(String(option.name))) problems.push(`"${name}" has two options named "${String(option.name)}"`);
    names.add(String(option.name));
    if (option.type === 1 || option.type === 2) {
      problems.push(...validateCommand(option, depth + 1));
      continue;
    }
    problems.push(...validateCommand({ ...option, options: undefined, default_member_permissions: undefined }, depth + 1).filter((p) => !p.includes('subcommand')));
    if (option.required) {
      if (optionalSeen) problems.push(`required option "${String(option.name)}" of "${name}" comes after an optional one`);
    } else optionalSeen = true;
    const choices = (option.choices as Json[] | undefined) ?? [];
    if (choices.length > 25) problems.push(`option "${String(option.name)}" has more than 25 choices`);
    if (choices.length > 0 && option.autocomplete) problems.push(`option "${String(option.name)}" cannot have both choices and autocomplete`);
    for (const choice of choices) {
      const label = String(choice.name ?? '');
      if (label.length < 1 || label.length > 100) problems.push(`choice "${label}" must be 1-100 characters`);
      if (String(choice.value ?? '').length > 100) problems.push(`choice value of "${label}" is over 100 characters`);
    }
    if (option.max_length !== undefined && (option.type !== 3 || (option.max_length as number) < 1 || (option.max_length as number) > 6000)) {
      problems.push(`max_length of "${String(option.name)}" must be 1-6000 on a string option`);
    }
    if (![3, 4, 5, 6, 7, 8, 9, 10, 11].includes(option.type as number)) problems.push(`option "${String(option.name)}" has unknown type ${String(option.type)}`);
  }
  return problems;
}

function validateEvent(merged: Json, existing: ScheduledEvent | undefined, nowMs: number, change: Json = merged): void {
  const errors: Json = {};
  const field = (key: string, message: string) => (errors[key] = { _errors: [{ code: 'GUILD_SCHEDULED_EVENT_INVALID', message }] });
  tooLong(errors, 'name', merged.name, 100, 1);
  tooLong(errors, 'description', merged.description, 1000);
  if (merged.privacy_level !== 2) field('privacy_level', 'Only GUILD_ONLY (2) is allowed');
  const start = Date.parse(String(merged.scheduled_start_time));
  const end = merged.scheduled_end_time ? Date.parse(String(merged.scheduled_end_time)) : undefined;
  if (Number.isNaN(start)) field('scheduled_start_time', 'Invalid ISO8601 timestamp');
  else if ((!existing || 'scheduled_start_time' in change) && start < nowMs) field('scheduled_start_time', 'Cannot schedule event in the past.');
  if (merged.entity_type === 3) {
    const location = (merged.entity_metadata as Json | null | undefined)?.location;
    if (!location) field('entity_metadata.location', 'An external event needs a location');
    else tooLong(errors, 'entity_metadata.location', location, 100, 1);
    if (end === undefined) field('scheduled_end_time', 'An external event needs an end time');
  } else if (merged.entity_type !== 1 && merged.entity_type !== 2) field('entity_type', 'Unknown entity type');
  else if (!merged.channel_id) field('channel_id', 'Stage and voice events need a channel');
  if (end !== undefined && !Number.isNaN(start) && end <= start) field('scheduled_end_time', 'The end must be after the start');
  if (existing && 'status' in change && change.status !== existing.status) {
    const allowed: Record<number, number[]> = { 1: [2, 4], 2: [3] };
    if (!allowed[existing.status]?.includes(change.status as number)) field('status', `Cannot change status from ${existing.status} to ${String(change.status)}`);
  }
  if (existing && existing.status !== 1 && ('scheduled_start_time' in change || 'entity_type' in change)) field('scheduled_start_time', 'Cannot change the start of an event that has started');
  if (Object.keys(errors).length) throw invalidForm(errors);
}

function normaliseTime(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+00:00');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
