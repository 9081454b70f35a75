/**
 * A protocol-faithful fake Slack on 127.0.0.1 for end-to-end tests of the real @slack/bolt app.
 *
 *   const slack = await FakeSlack.start({ botToken: 'xoxb-test' });
 *   new App({ clientOptions: { slackApiUrl: slack.apiUrl }, ... })          // Web API goes to the fake
 *
 * Web API (`POST /api/<method>`, form-encoded or JSON bodies, `Authorization: Bearer <token>`):
 *   - every call is recorded in `slack.calls` (method, parsed params, token, HTTP status returned);
 *     `slack.callsTo('chat.postMessage')` filters them.
 *   - implemented: auth.test, chat.postMessage, chat.update, chat.postEphemeral, views.open, views.update,
 *     conversations.history (newest first, `metadata` only with include_all_metadata, cursor paging),
 *     usergroups.users.list (`slack.setUsergroup('S1', ['U1'])`), apps.connections.open (Socket Mode URL),
 *     conversations.open (a direct-message channel "D<user id>" per member: `slack.dmChannel('U1')`), and the
 *     file upload of files.uploadV2: files.getUploadURLExternal returns an upload_url on this fake, the bytes
 *     POSTed there are kept, files.completeUploadExternal shares them into channel_id (`slack.files`).
 *     Unknown methods answer `{ok:false,error:'unknown_method'}` like Slack; a bad token `invalid_auth`.
 *   - posted messages live per channel: `slack.messages('C1')` (oldest first), each with ts, text, blocks, metadata;
 *     `slack.seedMessage('C1', {...})` puts one there as if sent earlier (e.g. before a crash).
 *   - faults: `slack.fail('chat.postMessage', { status: 429, retryAfter: 1 })`, `{ status: 500 }` or
 *     `{ error: 'channel_not_found' }`; `times` (default 1) says for how many calls it applies, faults queue.
 *   - faults that store the post first (Slack did its work, the answer got lost): `{ storeThen: 500 }` answers
 *     500, `{ storeThen: 'reset' }` resets the connection, `{ storeThen: 'hang' }` never answers;
 *     `{ hang: true }` never answers and stores nothing, or stores it when `storeWhen` settles (a post Slack
 *     stores only after the bot died). `slack.historyLag(ms)`: conversations.history shows a message only `ms`
 *     after it was stored (by the fake's clock, `now` in start()); history honours `oldest` and `latest`.
 *   - `slack.limitPostsPerChannel(1)`: chat.postMessage answers 429 (Retry-After: 1) when a channel got a post
 *     less than 1/n s ago, like Slack's ~1 message/s per channel; off by default.
 *   - channels belong to a workspace: `slack.addChannel('C1', 'T1')` makes chat.postMessage, chat.update and
 *     conversations.history in C1 answer `channel_not_found` to a token of any other workspace, as Slack does (a
 *     channel id names a channel of one workspace). Channels never added are reachable with any token.
 *
 * response_url: `slack.responseUrl()` gives a fresh URL on the fake; whatever Bolt's respond() POSTs there is
 * recorded in `slack.responses` (`await slack.waitForResponse()` for the next one).
 *
 * Requests to the bot (HTTP mode): `sendSlashCommand(botUrl, signingSecret, fields)` and
 * `sendInteraction(botUrl, signingSecret, payload)` sign with X-Slack-Signature v0 (HMAC-SHA256 over
 * `v0:<ts>:<body>`) and send form-encoded with the exact content type Slack uses; `options` can forge the
 * signature, age the timestamp or change the content type. They resolve with the bot's HTTP answer (status,
 * body, parsed json): an answer given in the ack (response_type, text, blocks) is there. `slashCommandFields()` builds a real-shaped payload
 * whose response_url points at this fake.
 *
 * Socket Mode: apps.connections.open returns `ws://127.0.0.1:<port>/link/?ticket=<n>`; the fake sends
 * `{type:'hello'}` on connect. `await slack.socketConnected()` waits for a client; `slack.sendEnvelope(type,
 * payload)` delivers an envelope and resolves with the client's ack (`{envelope_id, payload}`); all acks are
 * in `slack.acks`.
 *
 * OAuth (distributed apps): `slack.enableOAuth({ clientId, clientSecret, redirectUri })`. The authorize page
 * `GET /oauth/v2/authorize` stands for a member who presses Allow: it redirects (302) to redirect_uri with a
 * one-time `code` and the `state` it was given, for the workspace in `?team=` (default `slack.teamId`);
 * `oauth.v2.access` trades the code (client id and secret as form fields or Basic auth) for a new bot token of
 * that workspace, shaped like Slack's answer. Tokens belong to a workspace: auth.test answers with its team.
 * `slack.uninstall(teamId)` revokes the workspace's tokens, as Slack does when the app is removed, and
 * `sendEvent(botUrl, signingSecret, teamId, event)` delivers a signed Events API `event_callback` (JSON).
 *
 * `await slack.close()` ends every socket and server (no open handles left in jest).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenOnLoopback, loopbackUrl } from './loopback';

/** A modal's input values as Slack nests them in view.state: block id → action id → input. */
export type ViewStateValues = Record<string, Record<string, { type: string; value: string }>>;

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  token?: string;
  /** HTTP status the fake answered with. */
  status: number;
  /** Slack's `error` when the answer was `ok: false` (channel_not_found, ratelimited, ...). */
  error?: string;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: boolean;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: { id: string; name: string }[];
}

export interface RecordedResponse {
  path: string;
  body: Record<string, unknown>;
  /** performance.now() when it arrived: lets benchmarks measure command → answer latency. */
  receivedAt: number;
}

export interface UploadedFile {
  id: string;
  filename: string;
  title?: string;
  /** The bytes POSTed to the upload URL, as text. */
  content: string;
  /** Where files.completeUploadExternal shared it (undefined until completed). */
  channel?: string;
}

export type Fault =
  | { status: 429; retryAfter: number }
  | { status: 500 }
  | { error: string }
  | { storeThen: 500 | 'reset' | 'hang' }
  | { hang: true; storeWhen?: Promise<unknown> }
  /** Answers normally: holds a place in the queue so that later faults land on later calls. */
  | { pass: true };

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SignOptions {
  /** Seconds since the epoch put in X-Slack-Request-Timestamp (default: now). */
  timestamp?: number;
  /** Replaces the computed signature (forgery). */
  signature?: string;
  contentType?: string;
}

export interface BotResponse {
  status: number;
  body: string;
  /** Parsed JSON body when the bot answered with JSON. */
  json?: Record<string, unknown>;
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`, as Slack signs requests. */
export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  return 'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
}

/** POSTs a form body to the bot the way Slack does, signed unless options forge it. */
export async function sendSigned(url: string, signingSecret: string, form: Record<string, string>, options: SignOptions = {}): Promise<BotResponse> {
  const body = new URLSearchParams(form).toString();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? signSlackRequest(signingSecret, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

const JSON_PARAMS = new Set(['blocks', 'attachments', 'metadata', 'view', 'files']);

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly acks: SocketAck[] = [];
  /** Files uploaded through getUploadURLExternal + upload URL + completeUploadExternal. */
  readonly files: UploadedFile[] = [];
  readonly teamId = 'T0SREMUC';
  readonly botUserId = 'U0BOT';

  private readonly channels = new Map<string, StoredMessage[]>();
  private readonly usergroups = new Map<string, string[]>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly responseWaiters: ((r: RecordedResponse) => void)[] = [];
  private readonly ackWaiters = new Map<string, (ack: SocketAck) => void>();
  private readonly socketWaiters: ((ws: WebSocket) => void)[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private postInterval = 0;
  private readonly lastPostAt = new Map<string, number>();
  /** Which workspace a channel is in (addChannel); channels not listed are reachable from every workspace. */
  private readonly channelTeams = new Map<string, string>();
  private tsCounter = 0;
  private lagMs = 0;
  private readonly storedAt = new WeakMap<StoredMessage, number>();
  private ticket = 0;
  private responseCounter = 0;
  private viewCounter = 0;
  /** Which workspace each bot token belongs to (tokens given at start belong to `teamId`). */
  private readonly tokenTeams = new Map<string, string>();
  private oauth?: { clientId: string; clientSecret: string; redirectUri: string; codes: Map<string, { team: string; redirectUri: string }> };
  private eventCounter = 0;

  private constructor(
    private readonly server: Server,
    private readonly tokens: Set<string>,
    /** Wall-clock milliseconds for message timestamps and history lag (tests with a ManualClock pass theirs). */
    private readonly now: () => number,
  ) {}

  /** Starts the fake on a free port. Only the given tokens are accepted (bot token and app token). */
  static async start(options: { botToken?: string; appToken?: string; now?: () => number } = {}): Promise<FakeSlack> {
    const tokens = new Set([options.botToken ?? 'xoxb-test-token', options.appToken ?? 'xapp-test-token']);
    const server = createServer();
    const fake = new FakeSlack(server, tokens, options.now ?? Date.now);
    await listenOnLoopback(server, (req, res) => fake.handle(req, res), (req, socket, head) => fake.upgrade(req, socket, head));
    return fake;
  }

  get url(): string {
    return loopbackUrl(this.server);
  }

  /** What to pass as clientOptions.slackApiUrl. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Turns on the OAuth install flow for a distributed app with these credentials. */
  enableOAuth(app: { clientId: string; clientSecret: string; redirectUri: string }): void {
    this.oauth = { ...app, codes: new Map() };
  }

  /** The authorize page's address, for the bot's `authorizationUrl`. */
  get authorizeUrl(): string {
    return `${this.url}/oauth/v2/authorize`;
  }

  /** Bot tokens issued to a workspace through OAuth, oldest first (revoked ones included). */
  tokensOf(teamId: string): string[] {
    return [...this.tokenTeams].filter(([, team]) => team === teamId).map(([token]) => token);
  }

  /** The app is removed from the workspace: its tokens stop working (invalid_auth). */
  uninstall(teamId: string): void {
    for (const token of this.tokensOf(teamId)) this.tokens.delete(token);
  }

  /** Sends a signed Events API delivery (event_callback) for one workspace, as Slack does. */
  async sendEvent(botUrl: string, signingSecret: string, teamId: string, event: Record<string, unknown>, options: SignOptions = {}): Promise<BotResponse> {
    const body = JSON.stringify({
      token: 'verification-token-unused',
      team_id: teamId,
      api_app_id: 'A0SREMUC',
      event: { event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: `Ev${String(++this.eventCounter).padStart(8, '0')}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: teamId, user_id: this.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': options.signature ?? signSlackRequest(signingSecret, timestamp, body) },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text };
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messages(channel: string): StoredMessage[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  /** Puts a message into a channel's history as if someone (or an earlier bot run) had posted it. */
  seedMessage(channel: string, message: Omit<StoredMessage, 'ts' | 'channel'>): StoredMessage {
    return this.store(channel, message);
  }

  /** A channel of one workspace: calls in it with another workspace's token answer channel_not_found. */
  addChannel(id: string, teamId: string): void {
    this.channelTeams.set(id, teamId);
  }

  /** The direct-message channel conversations.open gives for a member. */
  dmChannel(userId: string): string {
    return `D${userId}`;
  }

  setUsergroup(id: string, users: string[]): void {
    this.usergroups.set(id, users);
  }

  /** The next `times` calls to `method` fail with this fault (queued after earlier faults). */
  fail(method: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** conversations.history shows a message only this long after it was stored (0: at once). */
  historyLag(ms: number): void {
    this.lagMs = ms;
  }

  /** Drops every queued fault (the end of an outage). */
  clearFaults(): void {
    this.faults.clear();
  }

  limitPostsPerChannel(perSecond: number): void {
    this.postInterval = 1000 / perSecond;
  }

  responseUrl(): string {
    return `${this.url}/response/${++this.responseCounter}`;
  }

  waitForResponse(): Promise<RecordedResponse> {
    return new Promise((resolve) => this.responseWaiters.push(resolve));
  }

  /** A real-shaped view_submission for a modal the bot opened (`values` as Slack nests them: block → action → input). */
  viewSubmissionPayload(view: { callback_id: string; private_metadata: string }, values: ViewStateValues): Record<string, unknown> {
    return {
      ...this.interaction('view_submission'),
      view: {
        id: 'V1',
        team_id: this.teamId,
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        title: { type: 'plain_text', text: 'Submit a talk' },
        blocks: [],
        state: { values },
        hash: '1.abc',
        app_id: 'A0SREMUC',
        bot_id: 'B0BOT',
      },
      response_urls: [],
    };
  }

  /** A real-shaped block_actions payload: a member pressed the button `actionId` under a bot message. */
  blockActionPayload(actionId: string, label = 'Button'): Record<string, unknown> {
    return {
      ...this.interaction('block_actions'),
      container: { type: 'message', message_ts: '1720000000.000100', channel_id: 'C0GENERAL', is_ephemeral: false },
      channel: { id: 'C0GENERAL', name: 'general' },
      message: { type: 'message', ts: '1720000000.000100', text: 'agenda' },
      response_url: this.responseUrl(),
      actions: [{ type: 'button', action_id: actionId, block_id: 'b1', text: { type: 'plain_text', text: label }, value: actionId, action_ts: `${Date.now() / 1000}` }],
    };
  }

  /** The fields every interactive payload carries: who, in which workspace, for which app. */
  private interaction(type: string): Record<string, unknown> {
    return {
      type,
      team: { id: this.teamId, domain: 'sremuc' },
      user: { id: 'U0MEMBER', username: 'member', name: 'member', team_id: this.teamId },
      api_app_id: 'A0SREMUC',
      token: 'verification-token-unused',
      trigger_id: `${Date.now()}.trigger`,
      is_enterprise_install: false,
    };
  }

  /** A slash command payload with every field Slack sends; response_url points at this fake. */
  slashCommandFields(command: string, text: string, overrides: Record<string, string> = {}): Record<string, string> {
    return {
      token: 'verification-token-unused',
      team_id: this.teamId,
      team_domain: 'sremuc',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: 'U0MEMBER',
      user_name: 'member',
      command: command.startsWith('/') ? command : `/${command}`,
      text,
      api_app_id: 'A0SREMUC',
      is_enterprise_install: 'false',
      response_url: this.responseUrl(),
      trigger_id: `${Date.now()}.trigger`,
      ...overrides,
    };
  }

  sendSlashCommand(botUrl: string, signingSecret: string, fields: Record<string, string>, options?: SignOptions): Promise<BotResponse> {
    return sendSigned(botUrl, signingSecret, fields, options);
  }

  /** Interactive payloads (block_actions, view_submission) travel as form field `payload` holding JSON. */
  sendInteraction(botUrl: string, signingSecret: string, payload: Record<string, unknown>, options?: SignOptions): Promise<BotResponse> {
    return sendSigned(botUrl, signingSecret, { payload: JSON.stringify(payload) }, options);
  }

  /** Resolves when a Socket Mode client has connected (immediately if one is already connected). */
  socketConnected(): Promise<WebSocket> {
    const [open] = this.sockets;
    if (open) return Promise.resolve(open);
    return new Promise((resolve) => this.socketWaiters.push(resolve));
  }

  /** Delivers an envelope to the connected Socket Mode client and resolves with its ack. */
  async sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<SocketAck> {
    const ws = await this.socketConnected();
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve) => this.ackWaiters.set(envelopeId, resolve));
    ws.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: type !== 'events_api', payload }));
    return acked;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path.startsWith('/response/')) return this.recordResponse(path, raw, res);
    if (path.startsWith('/upload/')) return this.receiveUpload(path.slice('/upload/'.length), raw, req.headers['content-type'], res);
    if (path === '/oauth/v2/authorize' && req.method === 'GET') return this.authorizePage(new URL(req.url ?? '/', this.url).searchParams, res);
    if (!path.startsWith('/api/') || req.method !== 'POST') return send(res, 404, { ok: false, error: 'not_found' });

    const method = path.slice('/api/'.length);
    const params = parseParams(raw, req.headers['content-type']);
    const token = bearer(req.headers.authorization) ?? (typeof params.token === 'string' ? params.token : undefined);
    const queued = this.faults.get(method)?.shift();
    const fault = queued && 'pass' in queued ? undefined : queued;
    const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      this.calls.push({ method, params, token, status, ...(body.ok === false ? { error: String(body.error) } : {}) });
      send(res, status, body, headers);
    };

    if (fault && 'status' in fault && fault.status === 429) {
      return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
    }
    if (fault && 'status' in fault) return reply(fault.status, { ok: false, error: 'internal_error' });
    if (fault && 'error' in fault) return reply(200, { ok: false, error: fault.error });
    if (fault && 'hang' in fault) {
      // Recorded as answered 0: no answer ever leaves.
      this.calls.push({ method, params, token, status: 0 });
      void fault.storeWhen?.then(() => this.api(method, params));
      return;
    }
    if (fault && 'storeThen' in fault) {
      this.api(method, params);
      if (fault.storeThen === 500) return reply(500, { ok: false, error: 'internal_error' });
      this.calls.push({ method, params, token, status: 0 });
      if (fault.storeThen === 'reset') req.socket.destroy();
      return;
    }
    if (method === 'chat.postMessage' && this.overChannelLimit(String(params.channel))) {
      return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    }
    if (method === 'oauth.v2.access') return reply(200, this.exchangeCode(params, req.headers.authorization));
    if (!token || !this.tokens.has(token)) return reply(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    if (!this.reachable(params.channel, token)) return reply(200, { ok: false, error: 'channel_not_found' });
    reply(200, this.api(method, params, token));
  }

  /** The member pressed Allow: back to the app with a one-time code for the workspace. */
  private authorizePage(query: URLSearchParams, res: ServerResponse): void {
    if (!this.oauth || query.get('client_id') !== this.oauth.clientId) return send(res, 400, { ok: false, error: 'invalid_client_id' });
    const redirectUri = query.get('redirect_uri') ?? this.oauth.redirectUri;
    if (redirectUri !== this.oauth.redirectUri) return send(res, 400, { ok: false, error: 'bad_redirect_uri' });
    const code = `code-${randomUUID()}`;
    this.oauth.codes.set(code, { team: query.get('team') ?? this.teamId, redirectUri });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (query.get('state') !== null) target.searchParams.set('state', query.get('state')!);
    res.writeHead(302, { location: target.toString() }).end();
  }

  private exchangeCode(p: Record<string, unknown>, authorization: string | undefined): Record<string, unknown> {
    const basic = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString().split(':') : [];
    const clientId = (p.client_id as string | undefined) ?? basic[0];
    const clientSecret = (p.client_secret as string | undefined) ?? basic[1];
    if (!this.oauth || clientId !== this.oauth.clientId || clientSecret !== this.oauth.clientSecret) return { ok: false, error: 'invalid_client_id' };
    const grant = this.oauth.codes.get(String(p.code));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.oauth.codes.delete(String(p.code));
    if (p.redirect_uri !== undefined && p.redirect_uri !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
    const token = `xoxb-${grant.team}-${randomUUID().slice(0, 8)}`;
    this.tokens.add(token);
    this.tokenTeams.set(token, grant.team);
    return {
      ok: true,
      app_id: 'A0SREMUC',
      authed_user: { id: 'U0INSTALLER' },
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: token,
      bot_user_id: this.botUserId,
      team: { id: grant.team, name: `Workspace ${grant.team}` },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private api(method: string, p: Record<string, unknown>, token?: string): Record<string, unknown> {
    switch (method) {
      case 'auth.test': {
        const team = (token && this.tokenTeams.get(token)) ?? this.teamId;
        return { ok: true, url: `https://${team.toLowerCase()}.slack.com/`, team: team === this.teamId ? 'SRE Munich' : `Workspace ${team}`, user: 'sremuc-bot', team_id: team, user_id: this.botUserId, bot_id: 'B0BOT', is_enterprise_install: false };
      }
      case 'chat.postMessage': {
        const channel = String(p.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!p.text && !p.blocks) return { ok: false, error: 'no_text' };
        const stored = this.store(channel, { text: p.text as string, blocks: p.blocks as unknown[], metadata: p.metadata as StoredMessage['metadata'] });
        return { ok: true, channel, ts: stored.ts, message: { type: 'message', user: this.botUserId, ...stored } };
      }
      case 'chat.update': {
        const message = this.channels.get(String(p.channel))?.find((m) => m.ts === p.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        Object.assign(message, { text: p.text, blocks: p.blocks, edited: true });
        return { ok: true, channel: p.channel, ts: p.ts, text: p.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'views.open': {
        if (!p.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        return { ok: true, view: { id: `V${++this.viewCounter}`, ...(p.view as Record<string, unknown>) } };
      }
      case 'views.update':
        if (!p.view_id && !p.external_id) return { ok: false, error: 'not_found' };
        return { ok: true, view: { id: p.view_id, ...(p.view as Record<string, unknown>) } };
      case 'conversations.history':
        return this.history(p);
      case 'usergroups.users.list': {
        const users = this.usergroups.get(String(p.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.open': {
        const user = String(p.users ?? '').split(',')[0];
        if (!user) return { ok: false, error: 'users_list_not_supplied' };
        const id = this.dmChannel(user);
        if (!this.channels.has(id)) this.channels.set(id, []);
        return { ok: true, channel: { id } };
      }
      case 'files.getUploadURLExternal': {
        if (!p.filename || !p.length) return { ok: false, error: 'invalid_arguments' };
        const id = `F${String(this.files.length + 1).padStart(8, '0')}`;
        this.files.push({ id, filename: String(p.filename), content: '' });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = (p.files as { id: string; title?: string }[] | undefined) ?? [];
        const found = list.map((f) => this.files.find((u) => u.id === f.id));
        if (found.length === 0 || found.some((f) => !f)) return { ok: false, error: 'file_not_found' };
        const channel = p.channel_id ? String(p.channel_id) : undefined;
        if (channel && !this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
        found.forEach((f, i) => Object.assign(f!, { channel, title: list[i]!.title }));
        if (channel) this.store(channel, { text: p.initial_comment as string | undefined, files: found.map((f) => ({ id: f!.id, name: f!.filename })) });
        return { ok: true, files: found.map((f) => ({ id: f!.id, title: f!.title ?? f!.filename })) };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${this.url.replace('http', 'ws')}/link/?ticket=${++this.ticket}` };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** A channel of another workspace than the token's does not exist for that token. */
  private reachable(channel: unknown, token: string): boolean {
    const team = typeof channel === 'string' ? this.channelTeams.get(channel) : undefined;
    return team === undefined || team === (this.tokenTeams.get(token) ?? this.teamId);
  }

  private overChannelLimit(channel: string): boolean {
    if (this.postInterval === 0) return false;
    const now = performance.now();
    const last = this.lastPostAt.get(channel);
    if (last !== undefined && now - last < this.postInterval) return true;
    this.lastPostAt.set(channel, now);
    return false;
  }

  private history(p: Record<string, unknown>): Record<string, unknown> {
    // A channel nobody posted to yet has an empty history (the fake does not know which channels exist).
    if (!p.channel) return { ok: false, error: 'channel_not_found' };
    const channel = this.channels.get(String(p.channel)) ?? [];
    const withMetadata = p.include_all_metadata === true || p.include_all_metadata === 'true';
    const visibleBy = this.now() - this.lagMs;
    const oldest = p.oldest === undefined ? -Infinity : Number(p.oldest);
    const latest = p.latest === undefined ? Infinity : Number(p.latest);
    const newestFirst = [...channel]
      .reverse()
      .filter((m) => (this.storedAt.get(m) ?? 0) <= visibleBy && Number(m.ts) >= oldest && Number(m.ts) <= latest);
    const start = Number(p.cursor ?? 0);
    const limit = Math.min(Number(p.limit ?? 100), 999);
    const page = newestFirst.slice(start, start + limit).map(({ metadata, ...m }) => ({ type: 'message', user: this.botUserId, ...m, ...(withMetadata && metadata ? { metadata } : {}) }));
    const more = start + limit < newestFirst.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
  }

  /** The upload URL takes the bytes raw or as a multipart form (what @slack/web-api sends); either is kept as text. */
  private async receiveUpload(id: string, raw: string, contentType: string | undefined, res: ServerResponse): Promise<void> {
    const file = this.files.find((f) => f.id === id);
    if (!file) return send(res, 404, { ok: false, error: 'file_not_found' });
    if (contentType?.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const part = [...(form as unknown as { values(): IterableIterator<string | Blob> }).values()].find((v) => typeof v !== 'string');
      file.content = part ? await (part as Blob).text() : '';
    } else {
      file.content = raw;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
  }

  private recordResponse(path: string, raw: string, res: ServerResponse): void {
    const response = { path, body: JSON.parse(raw || '{}') as Record<string, unknown>, receivedAt: performance.now() };
    this.responses.push(response);
    this.responseWaiters.shift()?.(response);
    send(res, 200, { ok: true });
  }

  private store(channel: string, message: Omit<StoredMessage, 'ts' | 'channel'>): StoredMessage {
    const stored: StoredMessage = { ts: this.nextTs(), channel, ...message };
    this.storedAt.set(stored, this.now());
    const list = this.channels.get(channel) ?? [];
    list.push(stored);
    this.channels.set(channel, list);
    return stored;
  }

  private nextTs(): string {
    return `${Math.floor(this.now() / 1000)}.${String(++this.tsCounter).padStart(6, '0')}`;
  }

  private upgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    if (!req.url?.startsWith('/link/')) return void socket.destroy();
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => this.receiveAck(data.toString()));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0SREMUC' } }));
      for (const waiter of this.socketWaiters.splice(0)) waiter(ws);
    });
  }

  private receiveAck(text: string): void {
    const ack = JSON.parse(text) as SocketAck;
    if (!ack.envelope_id) return;
    this.acks.push(ack);
    this.ackWaiters.get(ack.envelope_id)?.(ack);
    this.ackWaiters.delete(ack.envelope_id);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form bodies carry objects (blocks, metadata, view) as JSON strings, as @slack/web-api sends them. */
function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_PARAMS.has(key) ? JSON.parse(value) : value;
  }
  return params;
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
