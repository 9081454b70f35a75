import ICAL from 'ical.js';
import ical from 'node-ical';

/** What both parsers agree an event in a feed says, normalized so tests compare plain values. */
export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  location?: string;
  url?: string;
  status?: string;
  sequence: number;
  /** Instant, as UTC ISO with milliseconds. */
  start: string;
  end: string;
  /** TZID parameter of DTSTART. */
  startZone?: string;
  /** Wall time as written, e.g. 2024-07-10T18:30:00. */
  startLocal: string;
  stamp: string;
  lastModified?: string;
  alarmTriggers: string[];
}

export interface ParsedCalendar {
  name?: string;
  events: ParsedEvent[];
}

/** Parses with ical.js (Mozilla's parser): registers the feed's VTIMEZONEs so instants come from them. */
export function parseWithIcalJs(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent').map((component): ParsedEvent => {
    const event = new ICAL.Event(component);
    const dtstart = component.getFirstProperty('dtstart')!;
    const text = (name: string) => {
      const value = component.getFirstPropertyValue(name);
      return value === null ? undefined : String(value);
    };
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      location: event.location || undefined,
      url: text('url'),
      status: text('status'),
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      startZone: (dtstart.getParameter('tzid') as string | undefined) ?? undefined,
      startLocal: event.startDate.toString(),
      stamp: (component.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
      lastModified: (component.getFirstPropertyValue('last-modified') as ICAL.Time | null)?.toJSDate().toISOString(),
      alarmTriggers: component.getAllSubcomponents('valarm').map((a) => String(a.getFirstPropertyValue('trigger'))),
    };
  });
  const name = calendar.getFirstPropertyValue('x-wr-calname');
  return { name: name === null ? undefined : unescapeText(String(name)), events };
}

type NodeIcalValue = string | { val: string } | undefined;
const plain = (v: unknown): string | undefined => {
  const value = v as NodeIcalValue;
  return value === undefined ? undefined : typeof value === 'string' ? value : value.val;
};

/** Parses with node-ical, which resolves TZID through its own zone handling rather than the feed's VTIMEZONE. */
export function parseWithNodeIcal(text: string): ParsedCalendar {
  const data = ical.sync.parseICS(text);
  const events = Object.values(data)
    .filter((c): c is ical.VEvent => c?.type === 'VEVENT')
    .map((e): ParsedEvent => {
      const start = e.start as Date & { tz?: string };
      return {
        uid: e.uid,
        summary: plain(e.summary)!,
        description: plain(e.description) ?? '',
        location: plain(e.location),
        url: plain(e.url),
        status: e.status,
        sequence: Number(e.sequence),
        start: start.toISOString(),
        end: (e.end as Date).toISOString(),
        startZone: start.tz,
        startLocal: '',
        stamp: e.dtstamp.toISOString(),
        lastModified: e.lastmodified?.toISOString(),
        alarmTriggers: (e.alarms ?? []).map((a) => String(plain(a.trigger))),
      };
    });
  const calendar = Object.values(data).find((c) => c?.type === 'VCALENDAR') as Record<string, unknown> | undefined;
  const name = plain(calendar?.['WR-CALNAME']);
  return { name: name === undefined ? undefined : unescapeText(name), events };
}

/** Both parsers hand X- property values over still escaped as written; RFC 5545 TEXT unescaping. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Both parsers must read the same instants, texts and sequence numbers, or a feed is not portable. */
export function parseBoth(text: string): ParsedCalendar {
  const a = parseWithIcalJs(text);
  const b = parseWithNodeIcal(text);
  const comparable = (c: ParsedCalendar) =>
    c.events.map(({ startLocal: _l, ...rest }) => rest).sort((x, y) => x.uid.localeCompare(y.uid));
  expect(comparable(b)).toEqual(comparable(a));
  expect(b.name).toEqual(a.name);
  return a;
}

/** Unfolded content lines: what a parser sees after joining continuation lines. */
export function contentLines(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n');
}
