/**
 * Queries over a multi-day event's sessions: its days, a day's sessions by room, what is on now and next, and
 * sessions by speaker or words. Days are the event's own calendar days (in its zone: a Dublin conference's
 * Tuesday is Dublin's Tuesday wherever the reader is).
 */
import { DateTime } from 'luxon';
import type { Catalogue } from './catalogue';
import type { MeetupEvent, Session } from './event';

export type ProgrammeView =
  | { kind: 'overview' }
  | { kind: 'day'; date: string }
  | { kind: 'now' }
  | { kind: 'find'; words: string };

export function hasProgramme(event: MeetupEvent | undefined): event is MeetupEvent & { sessions: Session[] } {
  return (event?.sessions?.length ?? 0) > 0;
}

/** The event's days (ISO dates in its zone) with their sessions, in order. */
export function programmeDays(event: MeetupEvent): Array<{ date: string; sessions: Session[] }> {
  const days = new Map<string, Session[]>();
  for (const s of event.sessions ?? []) {
    const date = s.start.toISODate()!;
    days.set(date, [...(days.get(date) ?? []), s]);
  }
  return [...days].map(([date, sessions]) => ({ date, sessions }));
}

/** A day's sessions grouped by room, rooms in the order of their first session, each room's sessions by time. */
export function byRoom(sessions: readonly Session[]): Array<{ room: string; sessions: Session[] }> {
  const rooms = new Map<string, Session[]>();
  const ordered = [...sessions].sort((a, b) => a.start.toMillis() - b.start.toMillis());
  for (const s of ordered) {
    const room = s.room ?? 'No room given';
    rooms.set(room, [...(rooms.get(room) ?? []), s]);
  }
  return [...rooms].map(([room, list]) => ({ room, sessions: list }));
}

/** Sessions running at `now`, and those of the next start time after it (every room's next slot). */
export function nowAndNext(event: MeetupEvent, now: DateTime): { now: Session[]; next: Session[] } {
  const t = now.toMillis();
  const sessions = (event.sessions ?? []).filter((s) => !s.cancelled);
  const running = sessions.filter((s) => s.start.toMillis() <= t && s.end.toMillis() > t);
  const upcoming = sessions.filter((s) => s.start.toMillis() > t);
  const nextStart = Math.min(...upcoming.map((s) => s.start.toMillis()));
  return { now: running, next: upcoming.filter((s) => s.start.toMillis() === nextStart) };
}

/** Sessions whose title, speakers, track or room contain every word ("goldshtein", "ebpf workshop"). */
export function findSessions(event: MeetupEvent, words: string): Session[] {
  const wanted = words.toLowerCase().split(/\s+/).filter(Boolean);
  if (wanted.length === 0) return [];
  return (event.sessions ?? []).filter((s) => {
    const text = sessionText(s);
    return wanted.every((w) => text.includes(w));
  });
}

function sessionText(s: Session): string {
  return [s.title, s.room, s.track, s.kind, ...s.speakers.flatMap((p) => [p.name, p.company])].filter(Boolean).join(' ').toLowerCase();
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * What the words after the event ask for: "" the overview; "now"/"next"; a day as "today", "tomorrow", a
 * weekday ("tue", "tuesday"), "day 2" or "2", or a date ("2016-07-12", "12.07."); anything else is a search.
 */
export function programmeView(event: MeetupEvent, rest: string, now: DateTime): ProgrammeView {
  const text = rest.trim().toLowerCase();
  if (text === '' || text === 'all' || text === 'days' || text === 'overview') return { kind: 'overview' };
  if (text === 'now' || text === 'next' || text === 'now next' || text === 'on now') return { kind: 'now' };
  const days = programmeDays(event).map((d) => d.date);
  const zone = event.start.zoneName ?? 'UTC';
  if (text === 'today') return { kind: 'day', date: now.setZone(zone).toISODate()! };
  if (text === 'tomorrow') return { kind: 'day', date: now.setZone(zone).plus({ days: 1 }).toISODate()! };
  const index = /^(?:day\s*)?(\d{1,2})$/.exec(text);
  if (index && Number(index[1]) >= 1 && Number(index[1]) <= days.length) return { kind: 'day', date: days[Number(index[1]) - 1]! };
  const weekday = WEEKDAYS.findIndex((w) => text.length >= 3 && w.startsWith(text));
  if (weekday >= 0) {
    const date = days.find((d) => DateTime.fromISO(d, { zone }).weekday === weekday + 1);
    if (date) return { kind: 'day', date };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { kind: 'day', date: text };
  const dayMonth = /^(\d{1,2})\.(\d{1,2})\.?$/.exec(text);
  if (dayMonth) {
    const date = days.find((d) => +d.slice(8, 10) === +dayMonth[1]! && +d.slice(5, 7) === +dayMonth[2]!);
    if (date) return { kind: 'day', date };
  }
  return { kind: 'find', words: text };
}

/**
 * "/agenda srecon tuesday": the longest leading words that name an event with sessions, and the rest. Each word
 * must begin a word of the event's id, title or venue ("srecon", "europe"; not "1" inside "2016"); several
 * matches give the one nearest in time to now. Words that the catalogue's own search gives to a meetup without
 * sessions stay the meetup's ("/agenda sre" is still the next SRE Munich meetup).
 */
export function splitProgrammeQuery(catalogue: Catalogue, query: string, now: DateTime): { event: MeetupEvent; rest: string } | undefined {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const programmes = catalogue.events.filter(hasProgramme);
  if (programmes.length === 0) return undefined;
  for (let k = words.length; k >= 1; k--) {
    const head = words.slice(0, k);
    const matches = programmes.filter((e) => {
      const tokens = `${e.id} ${e.title} ${e.venue ?? ''}`.toLowerCase().split(/[^\p{L}\p{N}]+/u);
      return head.every((w) => w === e.id || tokens.some((t) => t.startsWith(w)));
    });
    if (matches.length === 0) continue;
    const meetup = catalogue.find(head.join(' '), now).event;
    if (meetup && !hasProgramme(meetup)) continue;
    matches.sort((a, b) => Math.abs(a.start.diff(now).toMillis()) - Math.abs(b.start.diff(now).toMillis()));
    return { event: matches[0]!, rest: words.slice(k).join(' ') };
  }
  return undefined;
}
