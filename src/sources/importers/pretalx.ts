/**
 * pretalx and frab schedule exports, the c3voc schedule format (https://c3voc.de/schedule/schema.json):
 * `schedule.json` (conference → days → rooms → events) and `schedule.xml` (<schedule><conference/><day><room>
 * <event>). Each event has a guid, `date` (ISO with offset), `duration` ("00:45" or "1:30"), room, track, type,
 * abstract/description, persons and links; the conference names its zone in `time_zone_name`. XML is read with
 * fast-xml-parser, so entities and CDATA are XML's, not ours.
 */
import { XMLParser } from 'fast-xml-parser';
import { DateTime, IANAZone } from 'luxon';
import type { Link, Session, Speaker } from '../../catalogue/event';
import { conferenceEvent, ImportError, plainText, safeLink, uidPart, type ImportContext, type Importer } from './event';

type Json = Record<string, unknown>;

interface FrabEvent {
  guid?: unknown;
  id?: unknown;
  date?: unknown;
  start?: unknown;
  duration?: unknown;
  room?: unknown;
  title?: unknown;
  subtitle?: unknown;
  track?: unknown;
  type?: unknown;
  abstract?: unknown;
  description?: unknown;
  url?: unknown;
  persons?: unknown;
  links?: unknown;
}

export const importPretalxJson: Importer = (body, context) => {
  let json: Json;
  try {
    json = JSON.parse(body) as Json;
  } catch (error) {
    throw new ImportError(`This is not JSON (${(error as Error).message}): use the schedule's schedule.json export (…/schedule/export/schedule.json).`);
  }
  const conference = (json.schedule as Json | undefined)?.conference as Json | undefined;
  if (!conference || !Array.isArray(conference.days)) throw new ImportError('No schedule.conference.days in this JSON: is it a pretalx/frab schedule.json?');
  const zone = zoneOf(conference.time_zone_name, context);
  const events: FrabEvent[] = [];
  for (const day of conference.days as Json[]) {
    for (const list of Object.values((day.rooms as Json | undefined) ?? {})) if (Array.isArray(list)) events.push(...(list as FrabEvent[]));
  }
  const sessions = events.map((e) => session(e, zone)).filter((s): s is Session => s !== undefined);
  return [conferenceEvent(context, sessions, { title: text(conference.title), timeZone: zone, url: text(conference.url) })];
};

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  isArray: (name) => ['day', 'room', 'event', 'person', 'link'].includes(name),
  processEntities: true,
  htmlEntities: true,
});

export const importFrabXml: Importer = (body, context) => {
  let doc: Json;
  try {
    doc = xml.parse(body, true) as Json;
  } catch (error) {
    throw new ImportError(`This is not well-formed XML (${(error as Error).message}): use the schedule's schedule.xml export.`);
  }
  const schedule = doc.schedule as Json | undefined;
  if (!schedule || !Array.isArray(schedule.day)) throw new ImportError('No <schedule> with <day> elements in this XML: is it a pretalx/frab schedule.xml?');
  const conference = (schedule.conference as Json | undefined) ?? {};
  const zone = zoneOf(conference.time_zone_name, context);
  const events: FrabEvent[] = [];
  for (const day of schedule.day as Json[]) {
    for (const room of (day.room as Json[] | undefined) ?? []) {
      for (const e of (room.event as Json[] | undefined) ?? []) {
        events.push({
          ...e,
          guid: e['@guid'],
          id: e['@id'],
          room: text(e.room) ?? room['@name'],
          persons: children(e.persons, 'person').map((p) => ({ name: text(p) ?? text(p['#text']) })),
          links: children(e.links, 'link').map((l) => ({ url: l['@href'], title: text(l) ?? text(l['#text']) })),
        });
      }
    }
  }
  const sessions = events.map((e) => session(e, zone)).filter((s): s is Session => s !== undefined);
  return [conferenceEvent(context, sessions, { title: text(conference.title), timeZone: zone, url: text(conference.base_url) })];
};

/** `<persons><person/>…</persons>` as a list; an empty element is parsed as a string (and strings have a .link()). */
function children(parent: unknown, name: string): Json[] {
  if (parent === null || typeof parent !== 'object') return [];
  const list = (parent as Json)[name];
  return Array.isArray(list) ? (list as Json[]) : [];
}

function zoneOf(name: unknown, context: ImportContext): string {
  const declared = text(name);
  return context.source.timeZone ?? (declared && IANAZone.isValidZone(declared) ? declared : context.settings.timeZone);
}

/** One schedule event; undefined when it has no readable date (a half-edited slot). */
function session(e: FrabEvent, zone: string): Session | undefined {
  const title = text(e.title);
  const date = text(e.date);
  if (!title || !date) return undefined;
  const start = DateTime.fromISO(date, { zone, setZone: false });
  const duration = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(text(e.duration) ?? '');
  if (!start.isValid || !duration) return undefined;
  const end = start.plus({ hours: Number(duration[1]), minutes: Number(duration[2]) });
  const speakers: Speaker[] = (Array.isArray(e.persons) ? (e.persons as Json[]) : [])
    .map((p) => text(p.public_name) ?? text(p.name) ?? text(p.full_public_name))
    .filter((n): n is string => n !== undefined)
    .map((name) => ({ name }));
  const links: Array<Link | undefined> = [safeLink(e.url, 'Session page')];
  for (const l of Array.isArray(e.links) ? (e.links as Json[]) : []) links.push(safeLink(l.url, text(l.title) ?? 'Link'));
  const subtitle = text(e.subtitle);
  return {
    id: uidPart(String(text(e.guid) ?? text(e.id) ?? `${date}-${title}`)),
    title: subtitle ? `${title}: ${subtitle}` : title,
    start: start.setZone(zone),
    end: end.setZone(zone),
    room: text(e.room),
    track: text(e.track),
    kind: text(e.type)?.toLowerCase(),
    speakers,
    abstract: plainText(text(e.abstract) ?? text(e.description)),
    links: links.filter((l): l is Link => l !== undefined),
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
