import { gzipSync } from 'node:zlib';
import etag from 'etag';
import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import type { Health } from '../http/health';
import { eventFeedPath, eventTalksPath, FEED_PATHS } from './links';
import { PAGE_CSP, renderSubscribePage, type SubscribePageInput } from './page';
import { FeedSet, type FeedOptions } from './render';
import type { FeedSequences } from './sequence';

/** One encoding of a resource: the bytes, the ETag that names exactly these bytes, and the headers of each answer. */
export interface Representation {
  body: Buffer;
  etag: string;
  /** What a 304 carries: the resource's headers with this ETag and its Last-Modified. */
  notModified: Record<string, string>;
  /** What a 200 carries: a 304's headers with the length (and encoding) of these bytes. */
  ok: Record<string, string | number>;
}

/** One servable document, prepared at reload: a request only picks bytes and headers. */
export interface Resource {
  plain: Representation;
  /** Undefined when gzip would not be smaller. */
  gzip?: Representation;
  /** Whole seconds, as Last-Modified carries them. */
  lastModified: number;
}

/**
 * A calendar document, with `?alarm=` applied when asked. A variant's validators come from the base's, so a
 * calendar app polling a reminder feed gets its 304 without a render; the bytes are rendered only for a 200.
 */
export interface Feed {
  resource: Resource;
  /** The same feed with a reminder per meetup: ETag derived from the base's, so a 304 needs no rendering. */
  withAlarm(minutes: number): Resource;
}

export interface FeedCatalogueOptions {
  sequences: FeedSequences;
  publicUrl: string;
  /** RSVP counts for the page (src/rsvp); refreshPage() re-renders it when they change. */
  rsvpCounts?: SubscribePageInput['rsvpCounts'];
}

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';
/** Calendar apps poll hourly at best; five minutes of shared caching lets any proxy or CDN absorb load. */
const CALENDAR_CACHE = 'public, max-age=300';
const PAGE_CACHE = 'public, max-age=60';

interface Built {
  catalogue: Catalogue;
  settings: CommunitySettings;
  set: FeedSet;
  feeds: Map<string, Feed>;
  page: Resource;
  /** When the page's "upcoming" list goes stale. */
  pageValidUntil?: DateTime;
  reloadedAt: DateTime;
}

/**
 * Every document the feed routes serve, by path: the page, the whole calendar, the talks, each meetup. Built in
 * full on each reload and swapped in at once, so a request never sees half a reload. A document whose bytes did
 * not change keeps its validators, so calendar apps polling an unchanged feed keep getting 304.
 */
export class FeedCatalogue {
  private built?: Built;

  constructor(private readonly options: FeedCatalogueOptions) {}

  update(catalogue: Catalogue, settings: CommunitySettings, now: DateTime): void {
    const previous = this.built;
    const { publicUrl, sequences } = this.options;
    const set = FeedSet.build({ catalogue, settings, sequences, publicUrl });
    const feeds = new Map<string, Feed>();
    const add = (path: string, render: (o: FeedOptions) => string, kind: Kind, lastModified?: number) => {
      const base = prepare(render({}), kind, lastModified ?? seconds(now), previous?.feeds.get(path)?.resource, lastModified === undefined);
      feeds.set(path, { resource: base, withAlarm: (minutes) => variant(base, () => render({ alarmMinutes: minutes }), kind, minutes) });
    };
    add(FEED_PATHS.calendar, (o) => set.calendar(o), { type: 'calendar' });
    add(FEED_PATHS.talks, (o) => set.talksCalendar(o), { type: 'calendar' });
    for (const id of set.eventIds()) {
      // Last-Modified is when the meetup's content last changed (kept in SQLite with its SEQUENCE).
      add(eventFeedPath(id), (o) => set.eventCalendar(id, o)!, { type: 'event', filename: `${id}.ics` }, seconds(set.eventModified(id)!));
    }
    for (const id of set.talkEventIds()) {
      add(eventTalksPath(id), (o) => set.eventTalksCalendar(id, o)!, { type: 'event', filename: `${id}-programme.ics` }, seconds(set.eventTalksModified(id)!));
    }
    const page = renderSubscribePage({ catalogue, settings, publicUrl, now, rsvpCounts: this.options.rsvpCounts });
    this.built = {
      catalogue,
      settings,
      set,
      feeds,
      page: prepare(page.html, { type: 'page' }, seconds(now), previous?.page, true),
      pageValidUntil: page.validUntil,
      reloadedAt: now,
    };
  }

  /** False until the first update. */
  get loaded(): boolean {
    return this.built !== undefined;
  }

  /** What /healthz reports: serving or not, how many meetups, when the data was last reloaded. */
  health(): Health {
    const built = this.built;
    return { ok: built !== undefined, events: built?.catalogue.events.length ?? 0, lastReload: built?.reloadedAt.toUTC().toISO() ?? null };
  }

  /**
   * A feed by its path as eventFeedPath/eventTalksPath build it ("/events/grüße.ics" decoded, or
   * "/talks.ics?event=<encoded id>").
   */
  feed(path: string): Feed | undefined {
    return this.built?.feeds.get(path);
  }

  /** The page lists upcoming meetups, so it is rebuilt when the first one listed has ended. */
  page(now: DateTime): Resource | undefined {
    const built = this.built;
    if (!built) return undefined;
    if (built.pageValidUntil && now >= built.pageValidUntil) this.refreshPage(now);
    return built.page;
  }

  /** Renders the page again from the current data (the "upcoming" list moved on, or RSVP counts changed). */
  refreshPage(now: DateTime): void {
    const built = this.built;
    if (!built) return;
    const page = renderSubscribePage({ catalogue: built.catalogue, settings: built.settings, publicUrl: this.options.publicUrl, now, rsvpCounts: this.options.rsvpCounts });
    built.page = prepare(page.html, { type: 'page' }, seconds(now), built.page, true);
    built.pageValidUntil = page.validUntil;
  }
}

type Kind = { type: 'calendar' } | { type: 'event'; filename: string } | { type: 'page' };

function seconds(time: DateTime): number {
  return Math.floor(time.toMillis() / 1000) * 1000;
}

/**
 * Bytes, gzip and headers for one body. `carry`: when the bytes equal the previous version's, keep it with its
 * Last-Modified, so a reload that changed nothing keeps every client's conditional request at 304.
 */
function prepare(text: string, kind: Kind, lastModified: number, previous: Resource | undefined, carry: boolean): Resource {
  const body = Buffer.from(text, 'utf8');
  const tag = etag(body);
  if (carry && previous?.plain.etag === tag) return previous;
  return { ...encodings(body, tag, kind, lastModified), lastModified };
}

/**
 * A `?alarm=` variant of a base resource: its own ETag (the base's plus the minutes), the base's Last-Modified,
 * gzip when the base has it. Its bytes are rendered the first time a 200 asks for them.
 */
function variant(base: Resource, render: () => string, kind: Kind, minutes: number): Resource {
  const tag = `${base.plain.etag.slice(0, -1)}-a${minutes}"`;
  let rendered: Pick<Resource, 'plain' | 'gzip'> | undefined;
  const bytes = () => (rendered ??= encodings(Buffer.from(render(), 'utf8'), tag, kind, base.lastModified, base.gzip !== undefined));
  const lazy = (encoding: 'plain' | 'gzip'): Representation => {
    const etag = encoding === 'plain' ? tag : gzipTag(tag);
    return {
      etag,
      notModified: notModifiedHeaders(kind, base.lastModified, etag),
      get body() {
        return bytes()[encoding]!.body;
      },
      get ok() {
        return bytes()[encoding]!.ok;
      },
    };
  };
  return { plain: lazy('plain'), gzip: base.gzip ? lazy('gzip') : undefined, lastModified: base.lastModified };
}

/**
 * A distinct ETag per encoding: a cache must not hand gzip bytes to a client that validated the plain ones. The
 * headers of both answers are settled here, once per reload, so a request only picks them.
 */
function encodings(body: Buffer, tag: string, kind: Kind, lastModified: number, alwaysGzip = false): Pick<Resource, 'plain' | 'gzip'> {
  const representation = (bytes: Buffer, etag: string, encoding?: string): Representation => {
    const notModified = notModifiedHeaders(kind, lastModified, etag);
    return { body: bytes, etag, notModified, ok: { ...notModified, 'Content-Length': bytes.length, ...(encoding ? { 'Content-Encoding': encoding } : {}) } };
  };
  const compressed = gzipSync(body);
  return {
    plain: representation(body, tag),
    gzip: alwaysGzip || compressed.length < body.length ? representation(compressed, gzipTag(tag), 'gzip') : undefined,
  };
}

function gzipTag(tag: string): string {
  return `${tag.slice(0, -1)}-gz"`;
}

function notModifiedHeaders(kind: Kind, lastModified: number, etag: string): Record<string, string> {
  return { ...headersFor(kind), 'Last-Modified': new Date(lastModified).toUTCString(), ETag: etag };
}

function headersFor(kind: Kind): Record<string, string> {
  const common = { 'X-Content-Type-Options': 'nosniff', Vary: 'Accept-Encoding' };
  if (kind.type === 'page') {
    return { ...common, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': PAGE_CACHE, 'Content-Security-Policy': PAGE_CSP, 'Referrer-Policy': 'no-referrer' };
  }
  return {
    ...common,
    'Content-Type': CALENDAR_TYPE,
    'Cache-Control': CALENDAR_CACHE,
    'Access-Control-Allow-Origin': '*',
    ...(kind.type === 'event' ? { 'Content-Disposition': `inline; filename="${kind.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"` } : {}),
  };
}
