/**
 * A meetup over several days names its days one by one: "am 4. und 5. Juni 2025", "les 4 et 5 juin", "on June 4
 * and 5, 2025", "4., 5. y 6 de junio". chrono reads only the day next to the month ("5. Juni", "June 4"); the
 * other days, joined by the language's "and", are read here around chrono's match. A span ("3–5 June", "October
 * 02-04") is not a list: it is how another event's dates are quoted, and prose-date.ts skips it.
 */
import type * as chrono from 'chrono-node';
import { addDays, isValidCalendarDate, type CalendarDate } from './time';

/** "and" in each prose language (chrono's locales and the word tables); "&" in all. */
const AND: Record<string, string[]> = {
  en: ['and'],
  de: ['und'],
  fr: ['et'],
  es: ['y', 'e'],
  nl: ['en'],
  pt: ['e'],
  it: ['e', 'ed'],
  sv: ['och'],
  fi: ['ja'],
  pl: ['i', 'oraz'],
};

/** A day number as written in a list: "4", "4.", "4th", "1er". */
const DAY = String.raw`\d{1,2}(?:\.|st|nd|rd|th|er)?`;

interface ListedDays {
  first: CalendarDate;
  /** The last day, when the days follow one another (a meetup over consecutive days). */
  last?: CalendarDate;
  /** Where the list starts and ends in the text, to quote it and to look for a time after it. */
  from: number;
  to: number;
  /** The year was written after the list ("June 4 and 5, 2025"), not next to chrono's match. */
  yearWritten: boolean;
}

export function listedDays(r: chrono.ParsedResult, text: string, named: CalendarDate, languages: readonly string[]): ListedDays | undefined {
  const and = `(?:${['&', ...new Set(languages.flatMap((l) => AND[l] ?? []))].join('|')})`;
  const end = r.index + r.text.length;
  // "4. und 5. Juni": the other days come before the one chrono read.
  const before = /^\d/.test(r.text) ? new RegExp(`(?<![\\d.:/\\-–])((?:${DAY}\\s*,\\s*)*${DAY})\\s+${and}\\s+$`, 'iu').exec(text.slice(Math.max(0, r.index - 40), r.index)) : null;
  if (before) {
    const days = [...before[1]!.matchAll(/\d{1,2}/g)].map((m) => Number(m[0]));
    return listOf([...days, named.day], named, r.index - before[0].length, end, false);
  }
  // "June 4 and 5, 2025": after it, with the year after the last day.
  if (!new RegExp(`(?<!\\d)0?${named.day}(?:st|nd|rd|th|\\.)?$`).test(r.text)) return undefined;
  const after = new RegExp(`^((?:\\s*,\\s*${DAY})*\\s+${and}\\s+${DAY})(?![\\d:\\p{L}])(?!\\s*(?:[ap]\\.?m\\b|uhr\\b|h\\b|o'clock))(?:,?\\s+(\\d{4})(?!\\d))?`, 'iu').exec(text.slice(end, end + 40));
  if (!after) return undefined;
  const days = [...after[1]!.matchAll(/\d{1,2}/g)].map((m) => Number(m[0]));
  const year = after[2] !== undefined && !r.start.isCertain('year') ? Number(after[2]) : named.year;
  return listOf([named.day, ...days], { ...named, year }, r.index, end + after[0].length, after[2] !== undefined);
}

/** Days of one meetup are written in order, at most a week apart: "March 12 and 2 talks" is no list of days. */
const MAX_GAP_DAYS = 7;

function listOf(days: number[], month: CalendarDate, from: number, to: number, yearWritten: boolean): ListedDays | undefined {
  if (days.length < 2 || days.some((d, i) => i > 0 && (d <= days[i - 1]! || d - days[i - 1]! > MAX_GAP_DAYS))) return undefined;
  const dates = days.map((day) => ({ ...month, day }));
  if (!dates.every(isValidCalendarDate)) return undefined;
  const consecutive = dates.every((d, i) => i === 0 || addDays(dates[i - 1]!, 1).day === d.day);
  return { first: dates[0]!, last: consecutive ? dates.at(-1) : undefined, from, to, yearWritten };
}
