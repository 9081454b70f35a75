/**
 * A date (and time) in a front matter field written the way people write dates rather than as ISO 8601:
 * "12.03.2025", "2025/03/12", "March 12, 2025", "Mittwoch, 12. März 2025, 18:30". It is read as "2025-03-12" or
 * "2025-03-12 18:30", so the rest of the reader sees one form. Only forms that cannot be misread: the year must be
 * written, and "03/12/2025" (which comes first, the day or the month?) is not read.
 */
import { findProseDate } from './prose-date';
import { formatTimeOfDay, isoDate, isValidCalendarDate, parseTimeOfDay, parseWallDateTime, type CalendarDate, type TimeOfDay, type WallDateTime } from './time';

/** "12.03.2025", "12. 3. 2025", with a time after it ("12.03.2025, 18:30", "12.03.2025 18:30 Uhr"). */
const DAY_FIRST = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:[,\s]+(?:um\s+|ab\s+)?(.+))?$/i;
/** "03/12/2025", "3-12-2025": the 3rd of December or the 12th of March, depending on who wrote it. */
const AMBIGUOUS = /^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b/;
/** "2025/03/12", "2025/03/12 18:30". */
const YEAR_FIRST = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T\s]+(.+))?$/;

export function writtenDateTime(text: string, languages: readonly string[]): string | undefined {
  const day = DAY_FIRST.exec(text);
  const year = YEAR_FIRST.exec(text);
  if (day) return iso({ year: Number(day[3]), month: Number(day[2]), day: Number(day[1]) }, day[4]);
  if (year) return iso({ year: Number(year[1]), month: Number(year[2]), day: Number(year[3]) }, year[4]);
  if (AMBIGUOUS.test(text)) return undefined;
  // In words, in the community's languages; without a publication date, only a date with its year is read.
  const prose = findProseDate([{ text, line: 1 }], undefined, languages);
  return prose ? iso(prose.date, prose.start) : undefined;
}

function iso(date: CalendarDate, time: string | TimeOfDay | undefined): string | undefined {
  if (!isValidCalendarDate(date)) return undefined;
  const clock = typeof time === 'string' ? parseTimeOfDay(time) : time;
  if (typeof time === 'string' && !clock) return undefined;
  return clock ? `${isoDate(date)} ${formatTimeOfDay(clock)}` : isoDate(date);
}

/** A date field's wall time: ISO 8601 as most files write it, else as people write it (writtenDateTime). */
export function fieldWallDateTime(text: string, zone: string, languages: readonly string[]): WallDateTime | undefined {
  const iso = parseWallDateTime(text, zone);
  if (iso) return iso;
  const written = writtenDateTime(text, languages);
  return written === undefined ? undefined : parseWallDateTime(written, zone);
}
