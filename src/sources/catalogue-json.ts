/**
 * The catalogue as plain JSON, the shape `npm run validate -- --json` prints (documented in README "validate
 * --json"), so a website's CI can check or reuse what the bot understood. Times are ISO 8601 with the offset of
 * the event's zone; absent values are left out rather than written as null.
 */
import type { DateTime } from 'luxon';
import type { Link, MeetupEvent, Speaker } from '../catalogue/event';

export interface CatalogueJson {
  timeZone: string;
  events: EventJson[];
}

export interface EventJson {
  id: string;
  file: string;
  title: string;
  status: 'scheduled' | 'cancelled';
  dateToBeConfirmed?: true;
  start: string;
  end: string;
  timeZone: string;
  venue?: string;
  address?: string;
  online?: string;
  url?: string;
  agenda: { start?: string; title: string; talk?: number }[];
  talks: { title: string; kind: string; start?: string; speakers: Speaker[]; abstract?: string; slides: Link[] }[];
  slides: Link[];
  recordings: Link[];
}

export function catalogueJson(events: readonly MeetupEvent[], timeZone: string): CatalogueJson {
  return { timeZone, events: events.map((e) => eventJson(e, timeZone)) };
}

function eventJson(e: MeetupEvent, communityZone: string): EventJson {
  const zone = e.timeZone ?? communityZone;
  const iso = (dt: DateTime) => dt.setZone(zone).toISO({ suppressMilliseconds: true })!;
  return clean({
    id: e.id,
    file: e.source.file,
    title: e.title,
    status: e.status,
    dateToBeConfirmed: e.dateToBeConfirmed ? true : undefined,
    start: iso(e.start),
    end: iso(e.end),
    timeZone: zone,
    venue: e.venue,
    address: e.address,
    online: e.online,
    url: e.url,
    agenda: e.agenda.map((a) => clean({ start: a.start ? iso(a.start) : undefined, title: a.title, talk: a.talkIndex })),
    talks: e.talks.map((t) => clean({ title: t.title, kind: t.kind, start: t.start ? iso(t.start) : undefined, speakers: t.speakers.map((s) => clean({ ...s })), abstract: t.abstract, slides: t.slides })),
    slides: e.slides,
    recordings: e.recordings,
  });
}

function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
