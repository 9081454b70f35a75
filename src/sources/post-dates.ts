/**
 * When a post's meetup is: explicit front matter fields first, then a date in the prose, then a date in the file
 * or folder name (when the profile says so); a post with only its publication date is "date to be confirmed".
 */
import type { DateTime } from 'luxon';
import type { AgendaItem, DateSource } from '../catalogue/event';
import { endFromAgenda, type AgendaLine } from './agenda';
import type { Diagnostic } from './diagnostics';
import type { FrontMatter } from './front-matter';
import type { Profile } from './profile';
import type { ProseDate, ProseTimes } from './prose-date';
import { addDays, atWallTime, formatTimeOfDay, inDstGap, isoDate, isValidCalendarDate, parseTimeOfDay, parseWallDateTime, type CalendarDate, type TimeOfDay, type WallDateTime } from './time';

export interface DateContext {
  file: string;
  zone: string;
  profile: Profile;
  /** Line of a front matter field, as the profile found it. */
  fieldLine: (field: string) => number | undefined;
  diagnostics: Diagnostic[];
}

type TimeField = 'eventDate' | 'start' | 'end' | 'doors';
export type ExplicitTimes = Record<TimeField, WallDateTime | TimeOfDay | undefined>;

export interface MeetupDay {
  date: CalendarDate;
  source: DateSource;
  toBeConfirmed?: boolean;
}

/** A meetup more than this far from its post's publication is probably a copied or mistyped date. */
const FAR_DAYS = 300;

function warn(ctx: DateContext, line: number | undefined, message: string): void {
  ctx.diagnostics.push({ file: ctx.file, line, severity: 'warning', message });
}

/** The front matter's date and time fields as wall times; a written UTC offset that the zone contradicts is warned. */
export function explicitTimes(fm: FrontMatter, ctx: DateContext): ExplicitTimes {
  const read = (key: TimeField) => {
    const value = fm[key];
    if (value === undefined) return undefined;
    const wall = parseWallDateTime(value, ctx.zone);
    if (wall?.offsetMismatch) {
      warn(ctx, ctx.fieldLine(key), `\`${key}\` says ${wall.offsetMismatch.written}, but ${ctx.zone} is ${wall.offsetMismatch.actual} on ${isoDate(wall.date)}: using the wall time ${wall.time ? formatTimeOfDay(wall.time) : ''} as written. Drop the offset to silence this.`);
    }
    return wall ?? parseTimeOfDay(value);
  };
  return { eventDate: read('eventDate'), start: read('start'), end: read('end'), doors: read('doors') };
}

export function meetupDay(explicit: ExplicitTimes, prose: ProseDate | undefined, published: WallDateTime | undefined, ctx: DateContext): MeetupDay | undefined {
  for (const key of ['eventDate', 'start', 'doors'] as const) {
    const value = explicit[key];
    if (value && 'date' in value) {
      warnIfFar(value.date, published, ctx, ctx.fieldLine(key), `\`${key}\``);
      return { date: value.date, source: 'front-matter' };
    }
  }
  // A planning repository's folder name is the organizers' own record of the day: it outranks prose.
  const fromPath = ctx.profile.dateFromPath ? dateInPath(ctx.file) : undefined;
  if (fromPath) return { date: fromPath, source: 'front-matter' };
  if (prose) {
    if (prose.weekdayMismatch) warn(ctx, prose.line, `"${prose.text}" names a weekday, but ${isoDate(prose.date)} is a ${prose.weekdayMismatch}: fix the date or the weekday, or add \`eventDate:\` to the front matter.`);
    warnIfFar(prose.date, published, ctx, prose.line, `"${prose.text}"`);
    return { date: prose.date, source: 'prose' };
  }
  if (published) {
    // `date` is when the post was published; a meetup announced on it would be a guess (the Netlight 2025 post
    // was first pushed without a date, and its publication day went out to every channel as the meetup).
    warn(ctx, ctx.fieldLine('published'), `No meetup date: the post only has its publication date ${isoDate(published.date)}, so the meetup is shown as "date to be confirmed" and not announced. Add \`eventDate: YYYY-MM-DD\` (and \`start: "18:30"\`) to the front matter.`);
    return { date: published.date, source: 'front-matter', toBeConfirmed: true };
  }
  ctx.diagnostics.push({ file: ctx.file, line: 1, severity: 'error', message: 'No meetup date: add `eventDate: YYYY-MM-DD` to the front matter, or write the date ("for July 10th") in the first paragraph.' });
  return undefined;
}

function warnIfFar(date: CalendarDate, published: WallDateTime | undefined, ctx: DateContext, line: number | undefined, what: string): void {
  if (!published || Math.abs(daysBetween(published.date, date)) <= FAR_DAYS) return;
  warn(ctx, line, `${what} is read as ${isoDate(date)}, ${Math.round(Math.abs(daysBetween(published.date, date)) / 30)} months from the post date ${isoDate(published.date)}: check the year, or add \`eventDate:\` to the front matter.`);
}

/** "2023-04-20-talks/program.md", "_posts/2024-03-08-slug.md" -> the date in the last path part that has one. */
export function dateInPath(file: string): CalendarDate | undefined {
  const parts = file.split('/').reverse();
  for (const part of parts) {
    const m = /(?:^|\D)(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(part);
    if (!m) continue;
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (isValidCalendarDate(date)) return date;
  }
  return undefined;
}

export function startTime(explicit: ExplicitTimes, agenda: readonly AgendaLine[], prose: ProseTimes | undefined, ctx: DateContext, agendaLine: number | undefined): TimeOfDay {
  for (const key of ['start', 'doors', 'eventDate'] as const) {
    const value = explicit[key];
    if (value && 'hour' in value) return value;
    if (value && 'time' in value && value.time) return value.time;
  }
  const firstTimed = agenda.find((a) => a.time && a.dayOffset === 0);
  if (firstTimed?.time) return firstTimed.time;
  if (prose?.start) return prose.start;
  const fallback = ctx.profile.defaultStart;
  // A community whose profile names its usual start time has said so: nothing to warn about.
  if (!ctx.profile.defaultStartGiven) warn(ctx, agendaLine ?? 1, `No start time found (no timed agenda line, no time next to the date): assuming ${formatTimeOfDay(fallback)}. Add \`start: "18:30"\` to the front matter or times to the agenda.`);
  return fallback;
}

/** The start as a DateTime; a wall time the clocks skip (DST gap) is moved forward, and said so. */
export function startAt(day: MeetupDay, time: TimeOfDay, ctx: DateContext): DateTime {
  const start = atWallTime(day.date, time, ctx.zone);
  if (inDstGap(day.date, time, ctx.zone)) {
    warn(ctx, ctx.fieldLine('start') ?? ctx.fieldLine('eventDate'), `${formatTimeOfDay(time)} does not exist on ${isoDate(day.date)} in ${ctx.zone} (the clocks skip that hour): the meetup is shown at ${start.toFormat('HH:mm')}. Check the time.`);
  }
  return start;
}

export function meetupEnd(explicit: ExplicitTimes, prose: ProseTimes | undefined, agenda: readonly AgendaItem[], lines: readonly AgendaLine[], start: DateTime, date: CalendarDate, ctx: DateContext): DateTime {
  const value = explicit.end;
  const time = value && 'hour' in value ? value : value && 'time' in value ? value.time : undefined;
  const fromFields = value && 'date' in value && value.time ? atWallTime(value.date, value.time, ctx.zone) : time ? afterStart(date, time, start, ctx.zone) : undefined;
  if (fromFields && fromFields > start) return fromFields;
  if (fromFields) warn(ctx, ctx.fieldLine('end'), '`end` is not after the start: ignoring it. Write the time the meetup ends, e.g. `end: "21:30"`.');
  if (prose?.end) {
    const proseEnd = afterStart(date, prose.end, start, ctx.zone);
    if (proseEnd > start) return proseEnd;
  }
  // Items are one per line: each line's written end, on its day (a range past midnight ends the next day).
  const untils = lines.map((l, i) => {
    const from = agenda[i]?.start;
    const until = l.until && atWallTime(addDays(date, l.dayOffset), l.until, ctx.zone);
    return from && until ? (until > from ? until : atWallTime(addDays(date, l.dayOffset + 1), l.until!, ctx.zone)) : undefined;
  });
  return endFromAgenda(agenda, start, untils) ?? start.plus({ minutes: ctx.profile.defaultDurationMinutes });
}

/** Whether the front matter gives a time of day (with the date or on its own). */
export function hasExplicitTime(explicit: ExplicitTimes): boolean {
  return (['start', 'doors', 'eventDate'] as const).some((key) => {
    const value = explicit[key];
    return value !== undefined && ('hour' in value || ('time' in value && value.time !== undefined));
  });
}

/** A meetup over consecutive days ("am 4. und 5. Juni") ends on its last day, at the time its first day would end. */
export function onLastDay(end: DateTime, lastDay: CalendarDate | undefined, ctx: DateContext): DateTime {
  if (!lastDay || isoDate(lastDay) <= end.toISODate()!) return end;
  return atWallTime(lastDay, { hour: end.hour, minute: end.minute }, ctx.zone);
}

/** An end time earlier than the start ("to 1:00") is after midnight. */
function afterStart(date: CalendarDate, time: TimeOfDay, start: DateTime, zone: string): DateTime {
  const sameDay = atWallTime(date, time, zone);
  return sameDay > start || time.hour >= 6 ? sameDay : atWallTime(addDays(date, 1), time, zone);
}

export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000;
}
