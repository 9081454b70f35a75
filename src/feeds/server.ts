import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import { feedRequestsTotal, metricsText } from '../metrics';
import type { Db } from '../store/db';
import { FastLane, type PlainRequest, type PreparedAnswer } from './fast-lane';
import { FEED_PATHS } from './links';
import { PAGE_CSP, renderSubscribePage } from './page';
import { FeedSet, parseAlarmParam, type FeedOptions } from './render';
import { FeedSequences } from './sequence';

export interface FeedServerOptions {
  db: Db;
  log: Logger;
  host: string;
  /** 0 picks a free port (tests, benchmarks); `port` tells which. */
  port: number;
  publicUrl: string;
  clock?: Clock;
}

type Route = 'page' | 'calendar' | 'talks' | 'event' | 'healthz' | 'metrics' | 'unknown';

/**
 * A whole calendar, rendered on its first request after a reload rather than in it: a reload (and start-up) only
 * records what changed (SEQUENCE), and 1,000 meetups' text costs ~0.4 s that start-up need not wait for.
 */
class LazyFeed {
  private resource?: Resource;

  /** `carried`: the last version rendered, so bytes that did not change keep their ETag and Last-Modified. */
  constructor(
    private readonly render: () => string,
    private readonly reloadedAt: DateTime,
    private readonly carried?: Resource,
  ) {}

  get(): Resource {
    this.resource ??= prepare(this.render(), { type: 'calendar' }, this.reloadedAt, this.carried);
    return this.resource;
  }

  /** What the next reload compares its bytes with. */
  latest(): Resource | undefined {
    return this.resource ?? this.carried;
  }
}

/** One servable body, prepared at reload so a request only picks bytes and headers. */
interface Resource {
  body: Buffer;
  etag: string;
  lastModified: number;
  headers: OutgoingHttpHeaders;
  /**
   * The gzip form, compressed on first demand and kept: compressing all 1,000 meetups' feeds up front cost ~0.4 s
   * at every start and reload, for files most of which no one asks for. Undefined when gzip is not smaller.
   */
  gzipped(): { body: Buffer; headers: OutgoingHttpHeaders } | undefined;
  notModifiedHeaders: OutgoingHttpHeaders;
}

interface Loaded {
  catalogue: Catalogue;
  settings: CommunitySettings;
  /**
   * The feed entries and their SEQUENCE numbers, built and recorded on the first feed request after a reload:
   * for 1,000 meetups that is ~0.25 s start-up need not wait for. A version no one fetched is never recorded,
   * which is right: SEQUENCE counts the changes a subscriber could have seen.
   */
  feeds: () => FeedSet;
  calendar: LazyFeed;
  talks: LazyFeed;
  /**
   * One meetup's feed, rendered on its first request: a reload renders the calendars, not a thousand files
   * most of which no one asks for before the next reload.
   */
  events: Map<string, Resource>;
  page: Resource;
  /** When the page's "upcoming" list goes stale. */
  pageValidUntil?: DateTime;
  reloadedAt: DateTime;
}

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';
/** Calendar apps poll hourly at best; five minutes of shared caching costs nothing and spares the bot. */
const CALENDAR_CACHE = 'public, max-age=300';
const PAGE_CACHE = 'public, max-age=60';
/** ?alarm= variants kept rendered; subscribers use a handful of values, this only bounds abuse. */
const MAX_VARIANTS = 64;
const COMMON_HEADERS = { 'X-Content-Type-Options': 'nosniff' };

/**
 * Serves the calendar feeds and the subscribe page from memory. Each feed is rendered once per reload, on its
 * first request; requests are answered from prepared bytes with validators (ETag, Last-Modified) and gzip,
 * because calendar apps poll the same unchanged feed over and over.
 */
export class FeedServer {
  private readonly db: Db;
  private readonly log: Logger;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly publicUrl: string;
  private readonly clock: Clock;
  private readonly sequences: FeedSequences;
  private loaded?: Loaded;
  private readonly variants = new Map<string, Resource>();
  private server?: Server;
  private lane?: FastLane;

  constructor({ db, log, host, port, publicUrl, clock = systemClock }: FeedServerOptions) {
    this.db = db;
    this.log = log;
    this.host = host;
    this.requestedPort = port;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.sequences = new FeedSequences(this.db, clock);
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.requestedPort;
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  /**
   * Takes a new catalogue: renders the page and swaps everything in at once, so a request never sees half a
   * reload. The feeds, and the SEQUENCE bookkeeping behind them, wait for their first request.
   */
  update(catalogue: Catalogue, settings: CommunitySettings): void {
    const started = performance.now();
    const previous = this.loaded;
    let built: FeedSet | undefined;
    const feeds = () => (built ??= FeedSet.build({ catalogue, settings, sequences: this.sequences, publicUrl: this.publicUrl }));
    const now = this.clock.now();
    const keep = (old: Resource | undefined, body: string, kind: ResourceKind) => prepare(body, kind, now, old);
    const page = renderSubscribePage({ catalogue, settings, publicUrl: this.publicUrl, now });
    this.loaded = {
      catalogue,
      settings,
      feeds,
      calendar: new LazyFeed(() => feeds().calendar(), now, previous?.calendar.latest()),
      talks: new LazyFeed(() => feeds().talksCalendar(), now, previous?.talks.latest()),
      events: new Map(),
      page: keep(previous?.page, page.html, { type: 'page' }),
      pageValidUntil: page.validUntil,
      reloadedAt: now,
    };
    this.variants.clear();
    this.log.debug({ events: catalogue.events.length, ms: Math.round(performance.now() - started) }, 'feeds updated');
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.handle(req, res));
    const lane = this.fastLane(server);
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.requestedPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.lane = lane;
    this.log.info({ url: this.url, publicUrl: this.publicUrl }, 'feed server listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Calendar apps and load generators hold keep-alive sockets open; close() alone would wait for them.
      server.closeAllConnections();
      this.lane?.closeAllConnections();
    });
  }

  /** The fast lane, or none (node:http answers everything, only slower) if this Node's server is not as expected. */
  private fastLane(server: Server): FastLane | undefined {
    try {
      return new FastLane(server, (request) => this.answer(request));
    } catch (err) {
      this.log.warn({ err }, 'feeds served through node:http alone');
      return undefined;
    }
  }

  /** node:http's path: the requests the fast lane passed on, and /metrics. */
  private handle(req: IncomingMessage, res: ServerResponse): void {
    const answer = this.answer({ method: req.method ?? '', target: req.url ?? '', header: (name) => headerText(req.headers[name]) });
    if (!answer) return void this.metrics(req, res);
    this.write(req, res, answer);
  }

  private write(req: IncomingMessage, res: ServerResponse, answer: PreparedAnswer): void {
    try {
      res.writeHead(answer.status, answer.headers);
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    } catch (err) {
      this.log.error({ err, url: req.url }, 'feed response failed');
      res.destroy();
    }
  }

  /** Every route but /metrics (asynchronous), answered from prepared bytes; shared by node:http and the fast lane. */
  private answer(request: PlainRequest): PreparedAnswer | undefined {
    let route: Route = 'unknown';
    try {
      const { target } = request;
      const queryAt = target.indexOf('?');
      const path = queryAt === -1 ? target : target.slice(0, queryAt);
      route = routeOf(path);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return this.reply(route, 405, 'Only GET and HEAD are supported.\n', { Allow: 'GET, HEAD' });
      }
      if (route === 'healthz') return this.healthz();
      if (route === 'metrics') return undefined;
      if (route === 'unknown') return this.reply(route, 404, 'Not found.\n');
      const loaded = this.loaded;
      if (!loaded) return this.reply(route, 503, 'The calendar is loading, try again in a moment.\n', { 'Retry-After': '5' });

      const query = queryAt === -1 ? '' : target.slice(queryAt + 1);
      const alarm = route === 'page' ? {} : alarmOption(query);
      if ('error' in alarm) return this.reply(route, 400, `${alarm.error}\n`);
      const resource = this.resourceFor(loaded, route, path, alarm);
      if (!resource) return this.reply(route, 404, 'No such meetup.\n');
      return this.serveResource(request, route, resource);
    } catch (err) {
      this.log.error({ err, url: request.target }, 'feed request failed');
      return this.reply(route, 500, 'Internal error.\n');
    }
  }

  private resourceFor(loaded: Loaded, route: Route, path: string, options: FeedOptions): Resource | undefined {
    if (route === 'page') return this.currentPage(loaded);
    let id: string | undefined;
    let event: Resource | undefined;
    if (route === 'event') {
      id = eventIdOf(path);
      event = id === undefined ? undefined : this.eventResource(loaded, id);
      if (event === undefined) return undefined;
    }
    const base = route === 'calendar' ? loaded.calendar.get() : route === 'talks' ? loaded.talks.get() : event!;
    if (options.alarmMinutes === undefined) return base;
    return this.variant(loaded, route, id, options.alarmMinutes, base);
  }

  private eventResource(loaded: Loaded, id: string): Resource | undefined {
    let resource = loaded.events.get(id);
    if (resource === undefined) {
      const body = loaded.feeds().eventCalendar(id);
      if (body === undefined) return undefined;
      // Last-Modified is when the meetup's content last changed (kept in SQLite with its SEQUENCE), not when
      // this process first rendered it.
      const modified = loaded.feeds().eventModified(id);
      const lastModified = modified && Math.floor(modified.toMillis() / 1000) * 1000;
      resource = prepare(body, { type: 'event', filename: `${id}.ics` }, loaded.reloadedAt, undefined, lastModified);
      loaded.events.set(id, resource);
    }
    return resource;
  }

  /** Rendered on first request and kept until the next reload; the least recently used goes first when full. */
  private variant(loaded: Loaded, route: Route, id: string | undefined, minutes: number, base: Resource): Resource {
    const key = `${route}\n${id ?? ''}\n${minutes}`;
    const cached = this.variants.get(key);
    if (cached) {
      this.variants.delete(key);
      this.variants.set(key, cached);
      return cached;
    }
    const options = { alarmMinutes: minutes };
    const body =
      route === 'calendar' ? loaded.feeds().calendar(options) : route === 'talks' ? loaded.feeds().talksCalendar(options) : loaded.feeds().eventCalendar(id!, options)!;
    const resource = prepare(body, route === 'event' ? { type: 'event', filename: `${id}.ics` } : { type: 'calendar' }, this.clock.now(), undefined, base.lastModified);
    if (this.variants.size >= MAX_VARIANTS) this.variants.delete(this.variants.keys().next().value!);
    this.variants.set(key, resource);
    return resource;
  }

  /** The page lists upcoming meetups, so it is rebuilt when the first one listed has ended. */
  private currentPage(loaded: Loaded): Resource {
    const now = this.clock.now();
    if (loaded.pageValidUntil && now >= loaded.pageValidUntil) {
      const page = renderSubscribePage({ catalogue: loaded.catalogue, settings: loaded.settings, publicUrl: this.publicUrl, now });
      loaded.page = prepare(page.html, { type: 'page' }, now, loaded.page);
      loaded.pageValidUntil = page.validUntil;
    }
    return loaded.page;
  }

  private serveResource(request: PlainRequest, route: Route, resource: Resource): PreparedAnswer {
    if (isNotModified(request, resource)) {
      feedRequestsTotal.inc({ route, status: 304 });
      return { status: 304, headers: resource.notModifiedHeaders };
    }
    const gzip = acceptsGzip(request.header('accept-encoding')) ? resource.gzipped() : undefined;
    feedRequestsTotal.inc({ route, status: 200 });
    return gzip ? { status: 200, ...gzip } : { status: 200, headers: resource.headers, body: resource.body };
  }

  private healthz(): PreparedAnswer {
    const loaded = this.loaded;
    const body = JSON.stringify({
      ok: loaded !== undefined,
      events: loaded?.catalogue.events.length ?? 0,
      lastReload: loaded?.reloadedAt.toUTC().toISO() ?? null,
    });
    return this.reply('healthz', loaded ? 200 : 503, `${body}\n`, { 'Content-Type': 'application/json' });
  }

  private async metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: PreparedAnswer;
    try {
      const { contentType, text } = await metricsText();
      answer = this.reply('metrics', 200, text, { 'Content-Type': contentType });
    } catch (err) {
      this.log.error({ err }, 'metrics collection failed');
      answer = this.reply('metrics', 500, 'Metrics unavailable.\n');
    }
    this.write(req, res, answer);
  }

  private reply(route: Route, status: number, body: string, headers: OutgoingHttpHeaders = {}): PreparedAnswer {
    feedRequestsTotal.inc({ route, status });
    const bytes = Buffer.from(body);
    return {
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': bytes.length, 'Cache-Control': 'no-store', ...COMMON_HEADERS, ...headers },
      body: bytes,
    };
  }
}

type ResourceKind = { type: 'calendar' } | { type: 'event'; filename: string } | { type: 'page' };

/**
 * Bytes, gzip and headers for one body. When the bytes equal the previous version's, the previous resource is
 * kept with its Last-Modified, so a reload that changed nothing keeps every client's conditional request at 304.
 */
function prepare(text: string, kind: ResourceKind, now: DateTime, previous?: Resource, lastModifiedOverride?: number): Resource {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const etag = `"${hash}"`;
  // Unchanged bytes: reuse everything, gzip included.
  if (previous?.etag === etag && lastModifiedOverride === undefined) return previous;
  const lastModified = lastModifiedOverride ?? Math.floor(now.toMillis() / 1000) * 1000;
  const validators = {
    ETag: etag,
    'Last-Modified': new Date(lastModified).toUTCString(),
    'Cache-Control': kind.type === 'page' ? PAGE_CACHE : CALENDAR_CACHE,
    Vary: 'Accept-Encoding',
  };
  const headers: OutgoingHttpHeaders = {
    ...validators,
    'Content-Type': kind.type === 'page' ? 'text/html; charset=utf-8' : CALENDAR_TYPE,
    ...COMMON_HEADERS,
    ...(kind.type === 'page' ? { 'Content-Security-Policy': PAGE_CSP, 'Referrer-Policy': 'no-referrer' } : { 'Access-Control-Allow-Origin': '*' }),
    ...(kind.type === 'event' ? { 'Content-Disposition': `inline; filename="${safeFilename(kind.filename)}"` } : {}),
  };
  let gzipped: { body: Buffer; headers: OutgoingHttpHeaders } | null | undefined;
  return {
    body,
    etag,
    lastModified,
    headers: { ...headers, 'Content-Length': body.length },
    gzipped() {
      if (gzipped === undefined) {
        const compressed = gzipSync(body);
        // A distinct ETag per encoding: caches must not hand gzip bytes to a client that validated the plain ones.
        gzipped = compressed.length < body.length ? { body: compressed, headers: { ...headers, ETag: gzipEtag(etag), 'Content-Encoding': 'gzip', 'Content-Length': compressed.length } } : null;
      }
      return gzipped ?? undefined;
    },
    notModifiedHeaders: validators,
  };
}

function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}-gz"`;
}

function safeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function routeOf(path: string): Route {
  switch (path) {
    case FEED_PATHS.page:
      return 'page';
    case FEED_PATHS.calendar:
      return 'calendar';
    case FEED_PATHS.talks:
      return 'talks';
    case '/healthz':
      return 'healthz';
    case '/metrics':
      return 'metrics';
    default:
      return path.startsWith(FEED_PATHS.eventPrefix) && path.endsWith(FEED_PATHS.eventSuffix) ? 'event' : 'unknown';
  }
}

/**
 * The id from `/events/<id>.ics`, or undefined for anything that is not exactly one path segment. Nothing here
 * touches the file system (ids are keys of an in-memory map), but "..", "%2F" and friends are refused anyway so
 * a traversal attempt gets a plain 404 and never a different feed.
 */
function eventIdOf(path: string): string | undefined {
  const raw = path.slice(FEED_PATHS.eventPrefix.length, -FEED_PATHS.eventSuffix.length);
  if (raw === '' || raw.includes('/') || raw.includes('\\')) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (id === '.' || id === '..' || /[/\\\0]/.test(id)) return undefined;
  return id;
}

/** `alarm` is the only parameter that changes a feed; other parameters (cache busters) are ignored. */
function alarmOption(query: string): FeedOptions | { error: string } {
  if (query === '') return {};
  const values = new URLSearchParams(query).getAll('alarm');
  if (values.length === 0) return {};
  if (values.length > 1) return { error: 'alarm given more than once' };
  const parsed = parseAlarmParam(values[0]!);
  return 'error' in parsed ? parsed : { alarmMinutes: parsed.minutes };
}

/** RFC 9110: If-None-Match decides when present; If-Modified-Since only otherwise. Weak comparison for both. */
function isNotModified(request: PlainRequest, resource: Resource): boolean {
  const ifNoneMatch = request.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    const plain = resource.etag;
    const gz = gzipEtag(plain);
    return ifNoneMatch.split(',').some((tag) => {
      const t = tag.trim().replace(/^W\//, '');
      return t === plain || t === gz;
    });
  }
  const ifModifiedSince = request.header('if-modified-since');
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && resource.lastModified <= since;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** gzip unless the client said nothing about it or gave it (or "*") q=0. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star: boolean | undefined;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return allowed;
    if (coding === '*') star = allowed;
  }
  return star ?? false;
}
