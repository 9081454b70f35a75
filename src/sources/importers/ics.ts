/**
 * ICS (RFC 5545) calendars read with ical.js, Mozilla's parser (Thunderbird's): it unfolds and unescapes lines,
 * and expands RRULE/RDATE with EXDATE and overridden instances (RECURRENCE-ID). Recurrence is expanded in wall
 * time, as RFC 5545 says ("every Tuesday 19:00" stays 19:00 across a DST change); each wall time is then placed
 * in its TZID with luxon, or with the calendar's own VTIMEZONE when the TZID is not an IANA name (Outlook's
 * "W. Europe Standard Time"), else in the calendar's X-WR-TIMEZONE, else in the zone the source is configured with.
 */
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

export interface IcsOccurrence {
  /** The VEVENT's UID; with `recurrenceId` for one instance of a recurring event. */
  uid: string;
  /** Wall time of the instance as the series defines it (RECURRENCE-ID), "2026-10-27T19:00:00"; stays when an instance moves. */
  recurrenceId?: string;
  title: string;
  description?: string;
  location?: string;
  url?: string;
  categories: string[];
  start: DateTime;
  end: DateTime;
  allDay: boolean;
  cancelled: boolean;
  sequence: number;
}

export interface IcsCalendar {
  name?: string;
  /** X-WR-TIMEZONE when it is an IANA zone. */
  timeZone?: string;
  occurrences: IcsOccurrence[];
}

export interface IcsReadOptions {
  /** Zone for floating times and TZIDs nobody can resolve. */
  zone: string;
  /** Recurring events are expanded for instances that end after `from` and start before `to`. */
  from: DateTime;
  to: DateTime;
}

/** A series longer than this many instances is cut (a daily RRULE with no end would otherwise never stop). */
const MAX_INSTANCES_PER_SERIES = 2000;

/** Parses a calendar; throws an Error with ical.js's message (and the line, when it gives one) when it is not ICS. */
export function readIcs(text: string, options: IcsReadOptions): IcsCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== 'vcalendar') throw new Error(`expected BEGIN:VCALENDAR, found ${calendar.name.toUpperCase()}`);
  const declared = stringProp(calendar, 'x-wr-timezone');
  const timeZone = declared && IANAZone.isValidZone(declared) ? declared : undefined;
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtimezone);
    if (tz.tzid) zones.set(tz.tzid, tz);
  }
  const place = placer(zones, timeZone ?? options.zone);

  const vevents = calendar.getAllSubcomponents('vevent');
  const exceptions = new Map<string, ICAL.Event[]>();
  const masters: ICAL.Event[] = [];
  for (const component of vevents) {
    const event = new ICAL.Event(component);
    if (!event.uid || !event.startDate) continue;
    if (component.hasProperty('recurrence-id')) exceptions.set(event.uid, [...(exceptions.get(event.uid) ?? []), event]);
    else masters.push(event);
  }

  const occurrences: IcsOccurrence[] = [];
  for (const master of masters) {
    const own = exceptions.get(master.uid) ?? [];
    exceptions.delete(master.uid);
    if (!master.isRecurring()) {
      occurrences.push(occurrence(master, master.startDate, master.endDate ?? master.startDate, place));
      continue;
    }
    for (const ex of own) master.relateException(ex);
    const zoneOf = (time: ICAL.Time, item: ICAL.Event) => (tzidOf(time) ? time : withZone(time, item.startDate));
    const iterator = master.iterator();
    for (let n = 0, next = iterator.next(); next && n < MAX_INSTANCES_PER_SERIES; n++, next = iterator.next()) {
      const details = master.getOccurrenceDetails(next);
      const start = place(zoneOf(details.startDate, details.item));
      if (start > options.to) break;
      const o = occurrence(details.item, zoneOf(details.startDate, details.item), zoneOf(details.endDate, details.item), place, wallIso(details.recurrenceId));
      if (o.end > options.from) occurrences.push({ ...o, uid: master.uid, start });
    }
  }
  // An instance override whose series is not in the file (some feeds send only changed instances): keep it alone.
  for (const list of exceptions.values()) {
    for (const ex of list) occurrences.push(occurrence(ex, ex.startDate, ex.endDate ?? ex.startDate, place, wallIso(ex.recurrenceId)));
  }
  occurrences.sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.uid.localeCompare(b.uid));
  return { name: stringProp(calendar, 'x-wr-calname'), timeZone, occurrences };
}

function occurrence(event: ICAL.Event, startTime: ICAL.Time, endTime: ICAL.Time, place: (t: ICAL.Time) => DateTime, recurrenceId?: string): IcsOccurrence {
  const component = event.component;
  const start = place(startTime);
  let end = place(endTime);
  // DTEND missing or not after DTSTART: a point in time; all-day events last their day.
  if (end <= start) end = startTime.isDate ? start.plus({ days: 1 }) : start;
  const categories = component.getAllProperties('categories').flatMap((p) => p.getValues().map(String)).map((c) => c.trim()).filter(Boolean);
  return {
    uid: event.uid,
    recurrenceId,
    title: (event.summary ?? '').trim(),
    description: (event.description ?? '').trim() || undefined,
    location: (event.location ?? '').trim() || undefined,
    url: stringProp(component, 'url'),
    categories,
    start,
    end,
    allDay: startTime.isDate,
    cancelled: String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
    sequence: Number(component.getFirstPropertyValue('sequence') ?? 0) || 0,
  };
}

/** Turns an ical.js time (wall clock + TZID) into a luxon DateTime, see the file comment for the order. */
function placer(zones: Map<string, ICAL.Timezone>, fallback: string): (time: ICAL.Time) => DateTime {
  return (time) => {
    const wall = { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second };
    const tzid = time.zone === ICAL.Timezone.utcTimezone ? 'UTC' : tzidOf(time);
    if (tzid === 'UTC' || tzid === 'Z') return DateTime.fromObject(wall, { zone: 'UTC' }).setZone(fallback);
    if (tzid && IANAZone.isValidZone(tzid)) return DateTime.fromObject(wall, { zone: tzid });
    const vtimezone = tzid ? zones.get(tzid) : undefined;
    if (vtimezone) {
      const offsetSeconds = vtimezone.utcOffset(time);
      return DateTime.fromObject(wall, { zone: 'UTC' }).minus({ seconds: offsetSeconds }).setZone(fallback);
    }
    return DateTime.fromObject(wall, { zone: fallback });
  };
}

/** An occurrence's times come out of ical.js without their TZID: give them the series' DTSTART zone. */
function withZone(time: ICAL.Time, like: ICAL.Time): ICAL.Time {
  const copy = time.clone();
  (copy as unknown as { timezone?: string }).timezone = tzidOf(like);
  if (like.zone === ICAL.Timezone.utcTimezone) copy.zone = ICAL.Timezone.utcTimezone;
  return copy;
}

/** The TZID parameter ical.js keeps on a parsed time (not in its type declarations). */
function tzidOf(time: ICAL.Time): string | undefined {
  return (time as unknown as { timezone?: string }).timezone;
}

function wallIso(time: ICAL.Time | undefined | null): string | undefined {
  return time ? time.toString() : undefined;
}

function stringProp(component: ICAL.Component, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}
