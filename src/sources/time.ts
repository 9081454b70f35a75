import { DateTime, IANAZone } from 'luxon';

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

/**
 * The wall time `clock` on `date` in `zone`; a time inside a DST gap moves forward, as clocks do.
 *
 * Loading 1,000 posts creates ~10,000 DateTimes, and luxon asks Intl for the zone offset two or three times per
 * DateTime.fromObject (~20-40 µs each). Offsets are cached per zone and quarter hour here, so each DateTime costs
 * the one offset lookup luxon's constructor makes; equal instants share one (immutable) DateTime.
 */
export function atWallTime(date: CalendarDate, clock: Clock, zone: string): DateTime {
  const local = Date.UTC(date.year, date.month - 1, date.day, clock.hour, clock.minute);
  return instant(wallToMillis(local, zone), zone);
}

/** `dt` plus an exact duration (hours on the clock may differ across a DST switch, like luxon's plus({ hours })). */
export function plusMillis(dt: DateTime, millis: number): DateTime {
  return instant(dt.toMillis() + millis, dt.zoneName ?? 'UTC');
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (days === 0) return date;
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const CACHE_LIMIT = 20_000;
const offsets = new Map<string, number>();
const instants = new Map<string, DateTime>();

/**
 * The zone's UTC offset at `ts`. A UTC day whose two ends have the same offset has it all day (zones change at
 * most once a day), so most days cost two Intl lookups in total; a switch day falls back to quarter hours.
 */
function offsetMinutes(zone: string, ts: number): number {
  const day = Math.floor(ts / 86_400_000);
  const dayKey = `${zone}|d${day}`;
  let offset = offsets.get(dayKey);
  if (offset === undefined) {
    const atStart = zoneOffset(zone, day * 86_400_000);
    offset = atStart === zoneOffset(zone, (day + 1) * 86_400_000 - 1) ? atStart : Number.NaN;
    remember(offsets, dayKey, offset);
  }
  if (!Number.isNaN(offset)) return offset;
  const key = `${zone}|q${Math.floor(ts / 900_000)}`;
  offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOffset(zone, ts);
    remember(offsets, key, offset);
  }
  return offset;
}

function zoneOffset(zone: string, ts: number): number {
  // Front matter dates are checked in UTC, a thousand distinct days at a cold start: no need to ask Intl.
  return zone === 'UTC' ? 0 : IANAZone.create(zone).offset(ts);
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

/**
 * The IANA zone with its offsets taken from the day cache above. Luxon asks Intl (formatToParts, ~15 µs) for the
 * offset of every DateTime it makes, and a thousand posts make tens of thousands: about a sixth of a cold load.
 * Names and formatting stay the real IANAZone's, and it equals the plain zone of the same name.
 */
class RememberedZone extends IANAZone {
  override offset(ts: number): number {
    return offsetMinutes(this.name, ts);
  }
}

const rememberedZones = new Map<string, RememberedZone>();

function rememberedZone(name: string): IANAZone {
  let zone = rememberedZones.get(name);
  if (zone === undefined) {
    zone = new RememberedZone(name);
    rememberedZones.set(name, zone);
  }
  return zone;
}

function instant(ms: number, zone: string): DateTime {
  const key = `${zone}|${ms}`;
  let dt = instants.get(key);
  if (dt === undefined) {
    dt = DateTime.fromMillis(ms, { zone: rememberedZone(zone) });
    remember(instants, key, dt);
  }
  return dt;
}

/** Local wall-clock millis to UTC millis, resolving DST gaps and overlaps the way luxon does. */
function wallToMillis(local: number, zone: string): number {
  const o1 = offsetMinutes(zone, local);
  let utc = local - o1 * 60_000;
  const o2 = offsetMinutes(zone, utc);
  if (o1 === o2) return utc;
  utc -= (o2 - o1) * 60_000;
  const o3 = offsetMinutes(zone, utc);
  if (o2 === o3) return utc;
  return local - Math.min(o2, o3) * 60_000;
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
  const local = Date.UTC(date.year, date.month - 1, date.day, clock.hour, clock.minute);
  if (offset?.toUpperCase() === 'Z') {
    const inZone = new Date(local + offsetMinutes(zone, local) * 60_000);
    return { date: { year: inZone.getUTCFullYear(), month: inZone.getUTCMonth() + 1, day: inZone.getUTCDate() }, clock: { hour: inZone.getUTCHours(), minute: inZone.getUTCMinutes() } };
  }
  const result: WallDateTime = { date, clock };
  if (offset) {
    const written = offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const actual = formatOffset((local - wallToMillis(local, zone)) / 60_000);
    if (written !== actual) result.offsetMismatch = { written, actual };
  }
  return result;
}

/** 120 -> "+02:00", -270 -> "-04:30". */
function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
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
