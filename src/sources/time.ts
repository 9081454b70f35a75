import { DateTime } from 'luxon';

/** A time of day as written in a post ("18:30"), before it is placed on a date in the community's zone. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * A time of day as organizers write it: "6:30 pm", "8:10pm", "7 pm", "18:30", "19.00", "19h00", "19h", "18:30 Uhr",
 * "19 Uhr". A bare number without minutes, am/pm or the word for o'clock ("2 talks") is not a time.
 */
const TIME_OF_DAY_PATTERN = String.raw`(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?`;
/** The word for o'clock after a time ("19:00 Uhr", "19 Uhr", "19h", "18:00 uur", "20:00 hrs"), captured. */
export const CLOCK_WORD = String.raw`(?:\s*(uhr|uur|hrs?|hs|h)\.?(?![\p{L}\d]))?`;
const TIME_ONLY = new RegExp(`^${TIME_OF_DAY_PATTERN}${CLOCK_WORD}$`, 'iu');

export interface ParsedTimeOfDay extends TimeOfDay {
  /** The text said am/pm (so "7:00" later in the same agenda may inherit it). */
  meridiem?: 'am' | 'pm';
}

export function parseTimeOfDay(text: string): ParsedTimeOfDay | undefined {
  const m = TIME_ONLY.exec(text.trim());
  const read = m ? timeOfDayFromMatch(m[1]!, m[2], m[3], m[4]) : undefined;
  return read === 'invalid' ? undefined : read;
}

/**
 * The time a match of TIME_OF_DAY_PATTERN (and CLOCK_WORD) says; undefined when it is not a time at all (a bare
 * number without a clock word), 'invalid' when it looks like one but no clock shows it ("25:00", "13:70 pm", "13 pm").
 */
export function timeOfDayFromMatch(hourText: string, minuteText: string | undefined, meridiemText: string | undefined, clockWord?: string): ParsedTimeOfDay | 'invalid' | undefined {
  if (minuteText === undefined && meridiemText === undefined && clockWord === undefined) return undefined;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return 'invalid';
  const meridiem = meridiemText ? (meridiemText.toLowerCase().startsWith('p') ? 'pm' : 'am') : undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return 'invalid';
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
  } else if (hour > 23 && !(hour === 24 && minute === 0)) {
    return 'invalid';
  }
  // "24:00" is midnight at the end of the day: read as 00:00, which agenda and end handling put on the next day.
  return { hour: hour === 24 ? 0 : hour, minute, meridiem };
}

/** The wall time `time` on `date` in `zone`; a time inside a DST gap moves forward, as clocks do (luxon's rule). */
export function atWallTime(date: CalendarDate, time: TimeOfDay, zone: string): DateTime {
  return DateTime.fromObject({ ...date, hour: time.hour, minute: time.minute }, { zone });
}

/** True when `time` on `date` does not exist in `zone` (the hour skipped when clocks go forward). */
export function inDstGap(date: CalendarDate, time: TimeOfDay, zone: string): boolean {
  const dt = atWallTime(date, time, zone);
  return dt.hour !== time.hour || dt.minute !== time.minute;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (days === 0) return date;
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function isoDate(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function isValidCalendarDate(date: CalendarDate): boolean {
  if (!Number.isInteger(date.year) || date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1) return false;
  return date.day <= new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
}

export interface WallDateTime {
  date: CalendarDate;
  /** Absent for a date without a time ("2024-07-10"). */
  time?: TimeOfDay;
  /** Set when the text carried a UTC offset that is not the zone's offset at that wall time. */
  offsetMismatch?: { written: string; actual: string };
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads a date or date-time from a file as the wall time the organizer meant. A written numeric offset is often
 * copied from summer ("+02:00" in December), so the wall time wins over it. A trailing "Z" is different: tools
 * (Hugo, CI) write it from a UTC clock, so it is a real instant and is converted into the zone.
 */
export function parseWallDateTime(text: string, zone: string): WallDateTime | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!isValidCalendarDate(date)) return undefined;
  if (m[4] === undefined) return { date };
  const time = { hour: Number(m[4]), minute: Number(m[5]) };
  if (time.hour > 23 || time.minute > 59) return undefined;
  const offset = m[7];
  if (offset?.toUpperCase() === 'Z') {
    const local = DateTime.fromObject({ ...date, ...time }, { zone: 'UTC' }).setZone(zone);
    return { date: { year: local.year, month: local.month, day: local.day }, time: { hour: local.hour, minute: local.minute } };
  }
  const result: WallDateTime = { date, time };
  if (offset) {
    const written = offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const actual = atWallTime(date, time, zone).toFormat('ZZ');
    if (written !== actual) result.offsetMismatch = { written, actual };
  }
  return result;
}

export function formatTimeOfDay(time: TimeOfDay): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}
