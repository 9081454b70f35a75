import { DateTime } from 'luxon';
import { parseDuration } from './duration';

export const WHEN_EXAMPLES = '"2026-12-01 18:00", 2026-12-01T18:00, "in 2h", "tomorrow 10:00", "friday 18:30" or "18:00"';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * A point in time as an organizer types it, read in the community's zone: ISO date and time (space or T,
 * optional seconds or offset), "in 2h" / "in 1 day 3 hours", "today|tonight|tomorrow|<weekday> [at] 18:30"
 * (also "6:30 pm"), or a bare time for today. Undefined when it is none of these, or names a wall time that
 * does not exist in the zone (the hour skipped when clocks go forward).
 */
export function parseWhen(text: string, now: DateTime, zone: string): DateTime | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const local = now.setZone(zone);
  if (t.startsWith('in ')) {
    const duration = parseDuration(t.slice(3));
    return duration && duration.as('minutes') > 0 ? local.plus(duration) : undefined;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})[t ](\d{1,2}):(\d{2})(?::(\d{2}))?(z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (iso) {
    const [, y, mo, d, h, mi, s, offset] = iso;
    if (offset) {
      const parsed = DateTime.fromISO(t.replace(' ', 'T').toUpperCase(), { setZone: true });
      return parsed.isValid ? parsed.setZone(zone) : undefined;
    }
    return wallTime(zone, { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: s ? +s : 0 });
  }
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4}),? (\d{1,2}):(\d{2})$/.exec(t);
  if (german) {
    const [, d, mo, y, h, mi] = german;
    return wallTime(zone, { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi! });
  }
  const dayAndTime = /^(?:(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun) )?(?:at )?(.+)$/.exec(t);
  if (!dayAndTime) return undefined;
  const clock = timeOfDay(dayAndTime[2]!);
  if (!clock) return undefined;
  const day = dayFor(dayAndTime[1], local, clock);
  return day && wallTime(zone, { year: day.year, month: day.month, day: day.day, ...clock });
}

function dayFor(word: string | undefined, local: DateTime, clock: { hour: number; minute: number }): DateTime | undefined {
  if (!word || word === 'today' || word === 'tonight') return local;
  if (word === 'tomorrow') return local.plus({ days: 1 });
  const weekday = WEEKDAYS.findIndex((w) => w.startsWith(word)) + 1;
  // The next such day; today only while that time is still ahead.
  let ahead = (weekday - local.weekday + 7) % 7;
  if (ahead === 0 && local.set({ ...clock, second: 0, millisecond: 0 }) <= local) ahead = 7;
  return local.plus({ days: ahead });
}

/** "18:30", "9:05", "6:30 pm", "7pm". */
function timeOfDay(text: string): { hour: number; minute: number } | undefined {
  const h24 = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (h24) return valid(+h24[1]!, +h24[2]!);
  const h12 = /^(\d{1,2})(?::(\d{2}))? ?(am|pm)$/.exec(text);
  if (!h12) return undefined;
  const hour = +h12[1]!;
  if (hour < 1 || hour > 12) return undefined;
  return valid((hour % 12) + (h12[3] === 'pm' ? 12 : 0), h12[2] ? +h12[2] : 0);
}

function valid(hour: number, minute: number): { hour: number; minute: number } | undefined {
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/** A wall time in the zone; undefined if the calendar or the zone has no such time (2:30 on a spring-forward night). */
function wallTime(zone: string, parts: { year: number; month: number; day: number; hour: number; minute: number; second?: number }): DateTime | undefined {
  const at = DateTime.fromObject({ second: 0, ...parts }, { zone });
  if (!at.isValid || at.hour !== parts.hour || at.minute !== parts.minute || at.day !== parts.day) return undefined;
  return at;
}

const QUOTED = /^["“„«']([^"“”„«»']+)["”“»']\s*([\s\S]*)$/;
const MAX_WHEN_WORDS = 6;

/**
 * Splits free text such as `tomorrow 10:00 Doors open!` into the time and the rest: a quoted time
 * (`"2026-12-01 18:00" text`), else the longest run of leading words that reads as one. Slack and the console
 * deliver the whole line as words; Discord delivers the options apart, and joining them gives the same line.
 */
export function splitWhen(text: string, now: DateTime, zone: string): { when: string; rest: string } | undefined {
  const trimmed = text.trim();
  const quoted = QUOTED.exec(trimmed);
  if (quoted) return parseWhen(quoted[1]!, now, zone) ? { when: quoted[1]!.trim(), rest: quoted[2]!.trim() } : undefined;
  const words = trimmed.split(/\s+/).length;
  for (let n = Math.min(MAX_WHEN_WORDS, words); n >= 1; n--) {
    // The first n words as written, so the rest keeps its own line breaks.
    const head = new RegExp(`^\\S+(?:\\s+\\S+){${n - 1}}`).exec(trimmed)![0];
    if (parseWhen(head, now, zone)) return { when: head.replace(/\s+/g, ' '), rest: trimmed.slice(head.length).trim() };
  }
  return undefined;
}
