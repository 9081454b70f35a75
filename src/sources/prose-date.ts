/**
 * The meetup date in announcement prose, in the community's languages, through chrono-node: "for July 10th",
 * "(Monday, April 14, 2025 6:00 PM to 9:00 PM CEST)", "Am Dienstag, dem 25. Februar 2020", "Martes 12 de
 * Septiembre, 2023". chrono finds dates; the community's policy is here: a date before the post is a recap and is
 * skipped, a span of days ("3–5 June", "October 02-04") is how another event's dates are quoted (a conference, a
 * recap) and is skipped, while days named one by one ("am 4. und 5. Juni", prose-date-days.ts) are the meetup's own,
 * and a day without a year is the first one on or after the post date.
 */
import type * as chrono from 'chrono-node';
import type { SourceLine } from './markdown-text';
import { listedDays } from './prose-date-days';
import { hasWordTable, translateDateWords } from './prose-date-words';
import { isValidCalendarDate, type CalendarDate, type ParsedTimeOfDay } from './time';

export interface ProseDate {
  date: CalendarDate;
  line: number;
  /** The words as written, for diagnostics. */
  text: string;
  /** A weekday was written and does not fall on that date: the weekday's English name. */
  weekdayMismatch?: string;
  start?: ParsedTimeOfDay;
  end?: ParsedTimeOfDay;
  /** The last of the meetup's days when the prose names consecutive days ("am 4. und 5. Juni"): `date` is the first. */
  lastDay?: CalendarDate;
}

/** Times of day the prose gives, with or without a date. */
export type ProseTimes = Pick<ProseDate, 'start' | 'end'>;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type Parser = { parse: (text: string, ref?: chrono.ParsingReference | Date, option?: chrono.ParsingOption) => chrono.ParsedResult[] };
/**
 * chrono's British English (day before month), loaded on first use: for languages read through a word table
 * (prose-date-words.ts), and what /announce reads times with.
 */
export const britishEnglish = (): Parser => (require('chrono-node/en') as typeof chrono.en).GB;

/**
 * A language's chrono-node locale (its own entry point, chrono-node/<language>; settings accept only languages
 * chrono has, see LANGUAGES in profile.ts), loaded the first time a community's settings ask for it: chrono's own
 * index loads all seventeen, and a community writing English and German should not hold the other fifteen in
 * memory or wait for them at start-up.
 */
function parserFor(language: string): Parser {
  return require(`chrono-node/${language}`) as Parser;
}

/** How far after a date a time may be written and still be its time ("... 2025\n6:00 PM", "um 19 Uhr"). */
const TIME_REACH = 60;

/** What chrono finds in the lines, in every one of the languages, in text order; `text` is what it read. */
export function proseResults(lines: readonly SourceLine[], published: CalendarDate | undefined, languages: readonly string[]): { written: string; text: string; results: chrono.ParsedResult[] } {
  const written = lines.map((l) => hideUrls(l.text)).join('\n');
  const text = normalise(written);
  const reference = published ? new Date(Date.UTC(published.year, published.month - 1, published.day, 12)) : new Date(Date.UTC(2000, 0, 1));
  const results = languages
    .flatMap((lang) => {
      const own = DOTTED_DATE_LANGUAGES.has(lang) ? dottedDayMonth(text) : text;
      return hasWordTable(lang) ? britishEnglish().parse(translateDateWords(own, lang), reference, { forwardDate: true }) : parserFor(lang).parse(own, reference, { forwardDate: true });
    })
    .sort((a, b) => a.index - b.index);
  return { written, text, results };
}

/** Languages that write a day and month as "13.05." (no year), which their chrono locales read as a time. */
const DOTTED_DATE_LANGUAGES = new Set(['de', 'pl', 'ru', 'uk', 'fi']);

/**
 * "am 13.05. ab 18:30 Uhr" as "am 13/05  ab ...", which chrono reads as a day and a month (same length, so positions
 * stay). Only where a date can stand (after a line start, punctuation or a word like "am"), so "Python 3.12." is no
 * date.
 */
function dottedDayMonth(text: string): string {
  return text.replace(/(?<=(?:^|[\n,:;(|–—-]|(?:^|\s)(?:am|den|dem|vom|zum|bis|ab|dnia|dniu|w|do|od))\s*)(\d{1,2})\.(\d{1,2})\.(?![\d.])/giu, (m, day: string, month: string) =>
    Number(day) >= 1 && Number(day) <= 31 && Number(month) >= 1 && Number(month) <= 12 ? `${day}/${month} ` : m,
  );
}

export function findProseDate(lines: readonly SourceLine[], published: CalendarDate | undefined, languages: readonly string[]): ProseDate | undefined {
  const { written, text, results } = proseResults(lines, published, languages);
  for (const r of results) {
    if (!r.start.isCertain('day') || !r.start.isCertain('month') || isDuration(r)) continue;
    if (r.end?.isCertain('day') && r.end.get('day') !== r.start.get('day')) continue;
    // chrono reads "80333 M" (a postcode) or "10.30" as dates: a date names its month in words, is written in full,
    // or is a day and month with their dots ("am 13.05.", see dottedDayMonth).
    const dotted = /^\d{1,2}\/\d{1,2}\b/.test(r.text) && /^\d{1,2}\.\d{1,2}\.(?![\d.])/.test(written.slice(r.index));
    if (!/\p{L}{3}/u.test(r.text) && !/\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}/.test(r.text) && !dotted) continue;
    const named = { year: r.start.get('year')!, month: r.start.get('month')!, day: r.start.get('day')! };
    if (!isValidCalendarDate(named)) continue;
    const days = listedDays(r, text, named, languages);
    const date = days?.first ?? named;
    if ((r.start.isCertain('year') || days?.yearWritten) && published && compareDates(date, published) < 0) continue;
    if (!r.start.isCertain('year') && !days?.yearWritten && !published) continue;
    const times = timesOf(r, results, text, days?.to);
    // A translated word is padded in front (prose-date-words.ts): the written word starts before chrono's match.
    let from = Math.min(r.index, days?.from ?? r.index);
    while (from > 0 && /\p{L}/u.test(written[from - 1]!)) from--;
    const to = Math.max(r.index + r.text.length, days?.to ?? 0);
    return { date, line: lineOf(lines, from), text: written.slice(from, to).replace(/[*_]/g, '').replace(/\s+/g, ' ').trim(), weekdayMismatch: weekdayMismatch(r, results, named), ...times, ...(days?.last ? { lastDay: days.last } : {}) };
  }
  return undefined;
}

/**
 * Fillers chrono does not skip: "February the 13th", "Dienstag, dem 25. Februar", emphasis markers. They are
 * blanked to the same length, so offsets still point at the written text.
 */
function normalise(text: string): string {
  return text
    .replace(/[*_]/g, ' ')
    // "18:00—22:00": chrono knows ranges written with a hyphen only (same length, so positions stay).
    .replace(/(?<=\d\s*)[–—](?=\s*\d)/g, '-')
    .replace(/(\p{L}),?(\s+)(?:the|dem|den|le|el)(\s+)(?=\d)/giu, (m, letter: string) => `${letter},${' '.repeat(m.length - 2)}`)
    // French times: "19 h" is "19h"; chrono takes "de 19h" and "à partir de 19h" for "in 19 hours", and "entre 19h
    // et 21h" for no range, so the words before the time go and "et" between two times is "à".
    .replace(/(?<![\d:.])(\d{1,2})\s+h(?:\s*(\d{2})(?!\d))?(?![\p{L}])/gu, (m, hour: string, minute = '') => `${hour}h${minute}`.padEnd(m.length, ' '))
    .replace(/(?<![\p{L}])(?:[àa]\s+partir\s+d(?:e|u|’|')|dès|de|entre)(?=\s+\d{1,2}h(?![\p{L}]))/giu, (m) => ' '.repeat(m.length))
    .replace(/(?<=\d{1,2}h\d{0,2}\s+)et(?=\s+\d{1,2}h(?![\p{L}]))/gu, 'à ');
}

/** The earliest hour a time that names neither am/pm nor a 24-hour hour is taken as a start. */
const EARLIEST_UNMARKED_START = 7;

function timesOf(r: chrono.ParsedResult, all: readonly chrono.ParsedResult[], text: string, listEnd?: number): { start?: ParsedTimeOfDay; end?: ParsedTimeOfDay } {
  let start = r.start.isCertain('hour') ? timeOf(r.start) : undefined;
  let end = r.end?.isCertain('hour') ? timeOf(r.end) : undefined;
  const after = Math.max(r.index + r.text.length, listEnd ?? 0);
  // A time of day within reach after the date (a length of time is none).
  const timeAfter = (o: chrono.ParsedResult) => o.index >= after && o.index - after <= TIME_REACH && o.start.isCertain('hour') && !o.start.isCertain('day') && !isDuration(o);
  if (!start) {
    // A time in the same paragraph, or on a line of its own (a "Time" card or line after the date's). One that
    // does not say its half of the day and would fall in the small hours is a length ("Durée 2h", "takes 2h"):
    // no meetup starts then.
    const next = all.find(
      (o) =>
        timeAfter(o) &&
        (o.start.isCertain('meridiem') || o.start.get('hour')! >= EARLIEST_UNMARKED_START) &&
        (!/\n\s*\n/.test(text.slice(after, o.index)) || onOwnLine(text, o)),
    );
    if (next) {
      start = timeOf(next.start);
      end = next.end?.isCertain('hour') ? timeOf(next.end) : undefined;
    }
  }
  // "Beginn 18:30 Uhr, Ende ca. 21 Uhr": a later time the text calls the end.
  const said = start && !end ? all.find((o) => timeAfter(o) && END_WORDS.test(text.slice(after, o.index))) : undefined;
  if (start && said) end = sameHalfOfDay(timeOf(said.start), start);
  return { start, end };
}

/** The words that put the end just before a time: "Ende ca. 21 Uhr", "ends around 9pm", "fin vers 21h", "hasta las 21". */
const END_WORDS = /(?:^|[^\p{L}])(?:ende|bis|until|till|ends?|finish(?:es)?|fin|jusqu'à|hasta|tot|koniec)(?:\s+(?:ca\.?|gegen|circa|around|about|approx\.?|vers|environ|sobre|las|rond|około))?\s*$/iu;

/** "doors 6:30 pm, ends around 9:00": an end without am/pm is in the same half of the day as the start. */
function sameHalfOfDay(end: ParsedTimeOfDay, start: ParsedTimeOfDay): ParsedTimeOfDay {
  return end.hour < start.hour && end.hour < 12 && !end.meridiem ? { ...end, hour: end.hour + 12 } : end;
}

/** "25 minutes", "2h", "de 19h" read as that long after the post: a length of time, never a date or a time of day. */
export function isDuration(r: chrono.ParsedResult): boolean {
  return r.tags().has('result/relativeDateAndTime');
}

function onOwnLine(text: string, r: chrono.ParsedResult): boolean {
  const lineStart = text.lastIndexOf('\n', r.index - 1) + 1;
  const lineEnd = text.indexOf('\n', r.index + r.text.length);
  return text.slice(lineStart, r.index).trim() === '' && text.slice(r.index + r.text.length, lineEnd < 0 ? undefined : lineEnd).trim() === '';
}

export function timeOf(c: chrono.ParsedComponents): ParsedTimeOfDay {
  return { hour: c.get('hour')!, minute: c.get('minute') ?? 0, meridiem: c.isCertain('meridiem') ? (c.get('meridiem') === 1 ? 'pm' : 'am') : undefined };
}

/** A weekday in the date itself, or written just before it ("Am Dienstag, dem 25. Februar"), that the date contradicts. */
function weekdayMismatch(r: chrono.ParsedResult, all: readonly chrono.ParsedResult[], date: CalendarDate): string | undefined {
  const actual = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  let written = r.start.isCertain('weekday') ? r.start.get('weekday') : undefined;
  if (written === undefined) {
    const before = all.find((o) => o !== r && o.index < r.index && r.index - (o.index + o.text.length) <= 8 && o.start.isCertain('weekday') && !o.start.isCertain('day'));
    written = before?.start.get('weekday') ?? undefined;
  }
  return written !== undefined && written !== null && written !== actual ? WEEKDAYS[actual] : undefined;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** URLs often hold digits and dates ("arriving=201805031830"); blank them out, keeping offsets. */
function hideUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/\S+|\]\([^)]*\)|<[^>]+>/g, (m) => ' '.repeat(m.length));
}

export function lineOf(lines: readonly SourceLine[], index: number): number {
  let offset = 0;
  for (const l of lines) {
    offset += l.text.length + 1;
    if (index < offset) return l.line;
  }
  return lines[lines.length - 1]?.line ?? 1;
}
