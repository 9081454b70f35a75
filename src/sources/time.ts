import { DateTime } from 'luxon';

export interface Clock {
  hour: number;
  minute: number;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * A time of day as organizers write it: "6:30 pm", "8:10pm", "7 pm", "18:30", "19.00", "19h00".
 * A bare number without minutes or am/pm ("2 talks") is not a time.
 */
export const CLOCK_PATTERN = String.raw`(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?`;
const CLOCK_ONLY = new RegExp(`^${CLOCK_PATTERN}$`, 'i');

export interface ParsedClock extends Clock {
  /** The text said am/pm (so "7:00" later in the same agenda may inherit it). */
  meridiem?: 'am' | 'pm';
}

export function parseClock(text: string): ParsedClock | undefined {
  const m = CLOCK_ONLY.exec(text.trim());
  return m ? clockFromMatch(m[1]!, m[2], m[3]) : undefined;
}

export function clockFromMatch(hourText: string, minuteText: string | undefined, meridiemText: string | undefined): ParsedClock | undefined {
  if (minuteText === undefined && meridiemText === undefined) return undefined;
  let hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return undefined;
  const meridiem = meridiemText ? (meridiemText.toLowerCase().startsWith('p') ? 'pm' : 'am') : undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
  } else if (hour > 23) {
    return undefined;
  }
  return { hour, minute, meridiem };
}

/** The wall time `clock` on `date` in `zone`; luxon moves a time inside a DST gap forward, as clocks do. */
export function atWallTime(date: CalendarDate, clock: Clock, zone: string): DateTime {
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: clock.hour, minute: clock.minute }, { zone });
}

export function calendarDate(dt: DateTime): CalendarDate {
  return { year: dt.year, month: dt.month, day: dt.day };
}

export function isoDate(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function isValidCalendarDate(date: CalendarDate): boolean {
  return DateTime.fromObject(date, { zone: 'UTC' }).isValid;
}

export interface WallDateTime {
  date: CalendarDate;
  /** Absent for a date without a time ("2024-07-10"). */
  clock?: Clock;
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
  const clock = { hour: Number(m[4]), minute: Number(m[5]) };
  if (clock.hour > 23 || clock.minute > 59) return undefined;
  const offset = m[7];
  if (offset?.toUpperCase() === 'Z') {
    const local = DateTime.fromObject({ ...date, ...clock }, { zone: 'UTC' }).setZone(zone);
    return { date: calendarDate(local), clock: { hour: local.hour, minute: local.minute } };
  }
  const result: WallDateTime = { date, clock };
  if (offset) {
    const written = offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const actual = atWallTime(date, clock, zone).toFormat('ZZ');
    if (written !== actual) result.offsetMismatch = { written, actual };
  }
  return result;
}

export function formatClock(clock: Clock): string {
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}

export const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "jul", "July", "sept" -> 7; undefined for anything else. */
export function monthNumber(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.length < 3) return undefined;
  const index = MONTHS.findIndex((m) => m.startsWith(n) || (n === 'sept' && m === 'september'));
  return index < 0 ? undefined : index + 1;
}
