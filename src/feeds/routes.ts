import type { IncomingMessage, ServerResponse } from 'node:http';
import fresh from 'fresh';
import Negotiator from 'negotiator';
import type { Clock } from '../clock';
import { plain, type HttpRoutes, type RouteHandler } from '../http/server';
import type { FeedCatalogue, Resource } from './catalogue';
import { eventFeedPath, eventTalksPath, FEED_PATHS } from './links';
import { parseAlarmParam } from './render';

/**
 * The feed routes on the bot's HTTP server: the page, the whole calendar, the talks (all, or one event's talks or
 * sessions with `?event=<id>`) and each meetup, answered
 * from the prepared bytes in the feed catalogue with conditional requests (`fresh`), gzip when the client takes
 * it (`negotiator`), and HEAD.
 */
export function addFeedRoutes(http: HttpRoutes, feeds: FeedCatalogue, clock: Clock): void {
  const calendar = (path: string): RouteHandler => (req, res) => serveFeed(req, res, feeds, path);
  http.add({ name: 'page', path: FEED_PATHS.page, handle: (req, res) => serve(req, res, feeds.loaded ? feeds.page(clock.now()) : undefined, feeds) });
  http.add({ name: 'calendar', path: FEED_PATHS.calendar, handle: calendar(FEED_PATHS.calendar) });
  http.add({
    name: 'talks',
    path: FEED_PATHS.talks,
    handle(req, res) {
      // `?event=<id>`: that event's talks or sessions; without it, every talk.
      const events = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').getAll('event');
      if (events.length > 1) return plain(res, 400, 'event given more than once\n');
      if (events.length === 0) return serveFeed(req, res, feeds, FEED_PATHS.talks);
      serveFeed(req, res, feeds, eventTalksPath(events[0]!), 'No such event, or it has no talks or sessions.\n');
    },
  });
  http.add({
    name: 'event',
    path: FEED_PATHS.eventPrefix,
    prefix: true,
    handle(req, res, path) {
      const id = path.endsWith(FEED_PATHS.eventSuffix) ? eventIdOf(path) : undefined;
      if (id === undefined) return plain(res, 404, 'Not found.\n');
      serveFeed(req, res, feeds, eventFeedPath(id), 'No such meetup.\n');
    },
  });
}

function serveFeed(req: IncomingMessage, res: ServerResponse, feeds: FeedCatalogue, path: string, missing = 'Not found.\n'): void {
  if (!feeds.loaded) return serve(req, res, undefined, feeds);
  const alarm = alarmMinutes(req.url ?? '');
  if (typeof alarm === 'string') return plain(res, 400, `${alarm}\n`);
  const feed = feeds.feed(path);
  if (!feed) return plain(res, 404, missing);
  serve(req, res, alarm === undefined ? feed.resource : feed.withAlarm(alarm), feeds);
}

/** 200 or 304 for a prepared resource: the representation is chosen first, so a 304 names the ETag a 200 would. */
function serve(req: IncomingMessage, res: ServerResponse, resource: Resource | undefined, feeds: FeedCatalogue): void {
  if (!feeds.loaded || !resource) return plain(res, 503, 'The calendar is loading, try again in a moment.\n', { 'Retry-After': '5' });
  // Without Accept-Encoding a client takes any encoding (RFC 9110), and Negotiator answers identity for it.
  const gzip = resource.gzip && req.headers['accept-encoding'] !== undefined && new Negotiator(req).encoding(['gzip', 'identity']) === 'gzip';
  const chosen = gzip ? resource.gzip! : resource.plain;
  if (fresh(req.headers, { etag: chosen.etag, 'last-modified': chosen.notModified['Last-Modified'] })) return void res.writeHead(304, chosen.notModified).end();
  res.writeHead(200, chosen.ok);
  res.end(req.method === 'HEAD' ? undefined : chosen.body);
}

/** `alarm` is the only parameter that changes a feed's content (`event` picks the feed); others (cache busters) are ignored. */
function alarmMinutes(target: string): number | string | undefined {
  const queryAt = target.indexOf('?');
  if (queryAt === -1) return undefined;
  const values = new URLSearchParams(target.slice(queryAt + 1)).getAll('alarm');
  if (values.length === 0) return undefined;
  if (values.length > 1) return 'alarm given more than once';
  const parsed = parseAlarmParam(values[0]!);
  return 'error' in parsed ? parsed.error : parsed.minutes;
}

/**
 * The id from `/events/<id>.ics`, or undefined for anything that is not exactly one path segment. Ids are keys
 * of an in-memory map, never file names, but "..", "%2F" and friends are refused anyway so a traversal attempt
 * gets a plain 404 and never a different feed.
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
