import type { SourceLine } from './markdown-text';
import { timeOfDayFromMatch, isValidCalendarDate, monthNumber, type CalendarDate, type ParsedTimeOfDay } from './time';

/** A meetup date found in announcement prose: "for July 10th", "(Monday, April 14, 2025\n6:00 PM to 9:00 PM CEST)". */
export interface ProseDate {
  date: CalendarDate;
  line: number;
  /** The words as written, for diagnostics. */
  text: string;
  yearInferred: boolean;
  /** A weekday was written and does not fall on that date. */
  weekdayMismatch?: string;
  start?: ParsedTimeOfDay;
  end?: ParsedTimeOfDay;
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const WEEKDAY = String.raw`(?:(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+(?:the\s+)?)?`;
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
// A day followed by "-27" or "–04" is a range: conferences ("SREcon (October 02-04, Dublin)"), never a meetup evening.
const NOT_RANGE = String.raw`(?!\s*(?:[-–]|to|until)\s*\d)`;
const YEAR = String.raw`(?:,?\s+(\d{4}))?`;

const MONTH_FIRST = new RegExp(String.raw`\b${WEEKDAY}${MONTH}\s+${DAY}\b${NOT_RANGE}${YEAR}`, 'gi');
const DAY_FIRST = new RegExp(String.raw`\b${WEEKDAY}${DAY}\.?\s+(?:of\s+)?${MONTH}\b${YEAR}`, 'gi');
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const RANGE_BEFORE = /\d\s*[-–]\s*$/;

const TIME = String.raw`(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?`;
/** A time (or range) right after the date, possibly on the next line: "6:00 PM to 9:00 PM", "at 18:30". */
const LEAD_IN = String.raw`(?:[^\n.]{0,40}?(?:from\s+|at\s+|@\s*|,\s*|\(\s*|\s)|[^\n.]{0,40}?\n[\s(]*(?:from\s+|at\s+)?)`;
const TIME_AFTER = new RegExp(String.raw`^${LEAD_IN}${TIME}(?![\d:])(?:\s*(?:-|–|to|until|till)\s*${TIME}(?![\d:]))?`, 'i');

interface Candidate {
  index: number;
  length: number;
  weekday?: string;
  month: number;
  day: number;
  year?: number;
}

/**
 * The meetup date in announcement prose. Without a year it is the first such day on or after the post's
 * publication date; written dates before the publication date are recaps of past events and are skipped.
 */
export function findProseDate(lines: readonly SourceLine[], published: CalendarDate | undefined): ProseDate | undefined {
  const text = lines.map((l) => hideUrls(l.text.replace(/[*_]/g, ' '))).join('\n');
  for (const c of candidates(text)) {
    const resolved = resolveYear(c, published);
    if (!resolved) continue;
    const times = timesAfter(text.slice(c.index + c.length));
    return {
      date: resolved.date,
      line: lineOf(lines, c.index),
      text: text.slice(c.index, c.index + c.length).replace(/\s+/g, ' ').trim(),
      yearInferred: resolved.inferred,
      weekdayMismatch: weekdayMismatch(c, resolved.date),
      ...times,
    };
  }
  return undefined;
}

function candidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(MONTH_FIRST)) {
    const month = monthNumber(m[2]!);
    if (month) found.push({ index: m.index!, length: m[0].length, weekday: m[1], month, day: Number(m[3]), year: num(m[4]) });
  }
  for (const m of text.matchAll(DAY_FIRST)) {
    const month = monthNumber(m[3]!);
    if (month && !RANGE_BEFORE.test(text.slice(0, m.index!))) {
      found.push({ index: m.index!, length: m[0].length, weekday: m[1], month, day: Number(m[2]), year: num(m[4]) });
    }
  }
  for (const m of text.matchAll(ISO)) found.push({ index: m.index!, length: m[0].length, month: Number(m[2]), day: Number(m[3]), year: Number(m[1]) });
  return found.sort((a, b) => a.index - b.index);
}

function resolveYear(c: Candidate, published: CalendarDate | undefined): { date: CalendarDate; inferred: boolean } | undefined {
  if (c.year !== undefined) {
    const date = { year: c.year, month: c.month, day: c.day };
    if (!isValidCalendarDate(date)) return undefined;
    if (published && compareDates(date, published) < 0) return undefined;
    return { date, inferred: false };
  }
  if (!published) return undefined;
  for (const year of [published.year, published.year + 1]) {
    const date = { year, month: c.month, day: c.day };
    if (isValidCalendarDate(date) && compareDates(date, published) >= 0) return { date, inferred: true };
  }
  return undefined;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function weekdayMismatch(c: Candidate, date: CalendarDate): string | undefined {
  if (!c.weekday) return undefined;
  const written = WEEKDAYS.findIndex((w) => w.startsWith(c.weekday!.toLowerCase().slice(0, 3)));
  const actual = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  const actualIndex = (actual + 6) % 7;
  return written >= 0 && written !== actualIndex ? WEEKDAYS[actualIndex] : undefined;
}

function timesAfter(rest: string): { start?: ParsedTimeOfDay; end?: ParsedTimeOfDay } {
  const m = TIME_AFTER.exec(rest);
  if (!m) return {};
  let start = validTime(timeOfDayFromMatch(m[1]!, m[2], m[3] ?? (m[4] ? m[6] : undefined)));
  let end = m[4] ? validTime(timeOfDayFromMatch(m[4], m[5], m[6])) : undefined;
  if (!start) return {};
  // "6:00 to 9:00 pm" and "6:00 PM to 9:00": one am/pm serves both ends of the range.
  if (end && !start.meridiem && end.meridiem === 'pm' && start.hour < 12) start = { ...start, hour: start.hour + 12, meridiem: 'pm' };
  if (end && !end.meridiem && start.meridiem === 'pm' && end.hour < 12) end = { ...end, hour: end.hour + 12, meridiem: 'pm' };
  return { start, end };
}

function validTime(time: ParsedTimeOfDay | 'invalid' | undefined): ParsedTimeOfDay | undefined {
  return time === 'invalid' ? undefined : time;
}

/** URLs often hold digits and dates ("arriving=201805031830"); blank them out, keeping offsets. */
function hideUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/\S+|\]\([^)]*\)/g, (m) => ' '.repeat(m.length));
}

function lineOf(lines: readonly SourceLine[], index: number): number {
  let offset = 0;
  for (const l of lines) {
    offset += l.text.length + 1;
    if (index < offset) return l.line;
  }
  return lines[lines.length - 1]?.line ?? 1;
}

function num(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}
