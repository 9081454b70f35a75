import { gzipSync } from 'node:zlib';
import etag from 'etag';
import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { MeetupEvent } from '../catalogue/event';
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

/** A calendar document, and the same with `?alarm=` applied when asked. */
export interface Feed {
  resource: Resource;
  /**
   * The same feed with a reminder per meetup, rendered for the request (calendar apps poll about hourly): its
   * ETag names its own bytes, and its Last-Modified is the base's, so a poll of an unchanged feed gets a 304.
   */
  withAlarm(minutes: number): Resource;
}

export interface FeedCatalogueOptions {
  sequences: FeedSequences;
  publicUrl: string;
  /** RSVP counts for the page (src/rsvp), read before each render; refreshPage() re-renders it when they change. */
  rsvpCounts?: (event: MeetupEvent) => Promise<string | undefined>;
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
  /** Updates and page renders run one after another, so a slower older one never replaces a newer one. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FeedCatalogueOptions) {}

  update(catalogue: Catalogue, settings: CommunitySettings, now: DateTime): Promise<void> {
    return this.inTurn(() => this.build(catalogue, settings, now));
  }

  private async build(catalogue: Catalogue, settings: CommunitySettings, now: DateTime): Promise<void> {
    const previous = this.built;
    const { publicUrl, sequences } = this.options;
    const set = await FeedSet.build({ catalogue, settings, sequences, publicUrl });
    const feeds = new Map<string, Feed>();
    const add = (path: string, render: (o: FeedOptions) => string, kind: Kind, lastModified?: number) => {
      // A meetup's own feed carries its content's time (below); the others keep theirs while their bytes do.
      const base = lastModified === undefined ? prepare(render({}), kind, seconds(now), previous?.feeds.get(path)?.resource) : prepare(render({}), kind, lastModified);
      feeds.set(path, { resource: base, withAlarm: (minutes) => prepare(render({ alarmMinutes: minutes }), kind, base.lastModified) });
    };
    add(FEED_PATHS.calendar, (o) => set.calendar(o), { type: 'calendar' });
    add(FEED_PATHS.talks, (o) => set.talksCalendar(o), { type: 'calendar' });
    for (const id of set.eventIds()) {
      // Last-Modified is when the meetup's content last changed (kept in the database with its SEQUENCE).
      add(eventFeedPath(id), (o) => set.eventCalendar(id, o)!, { type: 'event', filename: `${id}.ics` }, seconds(set.eventModified(id)!));
    }
    for (const id of set.talkEventIds()) {
      add(eventTalksPath(id), (o) => set.eventTalksCalendar(id, o)!, { type: 'event', filename: `${id}-programme.ics` }, seconds(set.eventTalksModified(id)!));
    }
    const page = renderSubscribePage({ catalogue, settings, publicUrl, now, rsvpCounts: await this.countsFor(catalogue, now) });
    this.built = {
      catalogue,
      settings,
      set,
      feeds,
      page: prepare(page.html, { type: 'page' }, seconds(now), previous?.page),
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
  async page(now: DateTime): Promise<Resource | undefined> {
    const built = this.built;
    if (!built) return undefined;
    if (built.pageValidUntil && now >= built.pageValidUntil) await this.refreshPage(now);
    return this.built?.page;
  }

  /** Renders the page again from the current data (the "upcoming" list moved on, or RSVP counts changed). */
  refreshPage(now: DateTime): Promise<void> {
    return this.inTurn(async () => {
      const built = this.built;
      if (!built) return;
      const page = renderSubscribePage({ catalogue: built.catalogue, settings: built.settings, publicUrl: this.options.publicUrl, now, rsvpCounts: await this.countsFor(built.catalogue, now) });
      built.page = prepare(page.html, { type: 'page' }, seconds(now), built.page);
      built.pageValidUntil = page.validUntil;
    });
  }

  /** The counts of the upcoming meetups that take RSVPs, read now, as the page renderer asks for them. */
  private async countsFor(catalogue: Catalogue, now: DateTime): Promise<SubscribePageInput['rsvpCounts']> {
    const read = this.options.rsvpCounts;
    if (!read) return undefined;
    const counts = new Map<string, string | undefined>();
    for (const event of catalogue.upcoming(now)) if (event.rsvp) counts.set(event.id, await read(event));
    return (event) => counts.get(event.id);
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const next = this.turn.then(work);
    this.turn = next.catch(() => undefined);
    return next;
  }
}

type Kind = { type: 'calendar' } | { type: 'event'; filename: string } | { type: 'page' };

function seconds(time: DateTime): number {
  return Math.floor(time.toMillis() / 1000) * 1000;
}

/**
 * Bytes, gzip and headers for one body, each encoding with its own ETag (a cache must not hand gzip bytes to a
 * client that validated the plain ones); the headers of both answers are settled here, so a request only picks
 * them. When the bytes equal `previous`'s, that version is kept with its Last-Modified, so a reload that changed
 * nothing keeps every client's conditional request at 304.
 */
function prepare(text: string, kind: Kind, lastModified: number, previous?: Resource): Resource {
  const body = Buffer.from(text, 'utf8');
  const tag = etag(body);
  if (previous?.plain.etag === tag) return previous;
  const representation = (bytes: Buffer, etag: string, encoding?: string): Representation => {
    const notModified = { ...headersFor(kind), 'Last-Modified': new Date(lastModified).toUTCString(), ETag: etag };
    return { body: bytes, etag, notModified, ok: { ...notModified, 'Content-Length': bytes.length, ...(encoding ? { 'Content-Encoding': encoding } : {}) } };
  };
  const compressed = gzipSync(body);
  const gzip = compressed.length < body.length ? representation(compressed, `${tag.slice(0, -1)}-gz"`, 'gzip') : undefined;
  return { plain: representation(body, tag), gzip, lastModified };
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
