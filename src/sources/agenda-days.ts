/**
 * A programme over several days (a conference, a two-day workshop): headings under the agenda heading such as
 * "Day 2", "Tag 2", "Jour 2" or "Thursday, June 13" each start a day. Each day's times are read on their own (09:00
 * after the previous day's 17:30 is the next morning, not a time running backwards), and its items are placed on
 * the date the heading names, or on the next day after the previous one.
 */
import { parseAgendaLines, type AgendaLine, type AgendaProblem } from './agenda';
import type { Section, SourceLine } from './markdown-text';
import { findProseDate } from './prose-date';
import { daysBetween } from './post-dates';
import type { CalendarDate } from './time';

const DAY_NUMBER = /\b(?:day|tag|jour|d[ií]a|dag|dzie[nń]|giorno)\s*#?\s*(\d{1,2})\b|\b(\d{1,2})\.\s*(?:tag|dzie[nń])\b/i;
/** Only to tell a heading that names a date from one that does not; the meetup's own date places it later. */
const ANY_YEAR: CalendarDate = { year: 2000, month: 1, day: 1 };
/** A day heading further than this from the meetup's first day is not one of its days. */
const MAX_DAYS = 14;

export function isDayHeading(title: string, languages: readonly string[]): boolean {
  return DAY_NUMBER.test(title) || findProseDate([{ text: title, line: 1 }], ANY_YEAR, languages) !== undefined;
}

/** The agenda's lines read day by day: one day (the usual evening meetup) unless headings below it start days. */
export function parseAgendaDays(sections: readonly Section[], languages: readonly string[]): { items: AgendaLine[]; problems: AgendaProblem[] } {
  const days: { heading?: Section; lines: SourceLine[] }[] = [{ lines: [] }];
  sections.forEach((section, i) => {
    if (i > 0 && isDayHeading(section.title, languages)) days.push({ heading: section, lines: [] });
    days[days.length - 1]!.lines.push(...section.lines);
  });
  if (days.length === 1) return parseAgendaLines(days[0]!.lines);
  const read = days.map((day) => ({ heading: day.heading, ...parseAgendaLines(day.lines) }));
  // Prose before the first day heading ("The programme:") is no day; timed items there are the first day's.
  if (read[0]!.items.length === 0) read.shift();
  read.forEach((day, index) => {
    const number = day.heading && DAY_NUMBER.exec(day.heading.title);
    const ordinal = number ? Number(number[1] ?? number[2]) - 1 : index;
    const heading = day.heading && { text: day.heading.title, line: day.heading.line, ordinal };
    for (const item of day.items) {
      item.dayOffset += ordinal;
      if (heading) item.dayHeading = heading;
    }
  });
  return { items: read.flatMap((d) => d.items), problems: read.flatMap((d) => d.problems) };
}

/** Once the meetup's first day is known: a day whose heading names a date goes on that date. */
export function placeAgendaDays(items: readonly AgendaLine[], first: CalendarDate, languages: readonly string[]): void {
  // One date read per day heading, not per item under it.
  const shifts = new Map<AgendaLine['dayHeading'], number>();
  for (const item of items) {
    const heading = item.dayHeading;
    if (!heading) continue;
    if (!shifts.has(heading)) {
      const named = findProseDate([{ text: heading.text, line: heading.line }], first, languages);
      const offset = named ? daysBetween(first, named.date) : undefined;
      shifts.set(heading, offset !== undefined && offset >= 0 && offset <= MAX_DAYS ? offset - heading.ordinal : 0);
    }
    item.dayOffset += shifts.get(heading)!;
  }
}
