import { DateTime } from 'luxon';
import { britishEnglish } from '../sources/prose-date';
import { parseDuration } from './duration';

export const WHEN_EXAMPLES = '"2026-12-01 18:00", 2026-12-01T18:00, "in 2h", "tomorrow 10:00", "friday 18:30" or "18:00"';

/**
 * A point in time as an organizer types it, read in the community's zone: "in 2h" / "in 1 day 3 hours" (days stay
 * calendar days), else one date and time of day as chrono-node's British English reads the whole text: ISO date
 * and time (space or T, optional seconds or offset), "1.12.2026 18:00", "today|tonight|tomorrow|<weekday> [at]
 * 18:30" (a weekday is the next one; today's only while that time is still ahead), "6:30 pm", or a bare time for
 * today. Undefined when it is none of these, names no time of day, counts in weeks or months ("next week 10:00":
 * which day?), or names a wall time that does not exist in the zone (the hour skipped when clocks go forward).
 */
export function parseWhen(text: string, now: DateTime, zone: string): DateTime | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  const local = now.setZone(zone);
  if (/^in /i.test(t)) {
    const duration = parseDuration(t.slice(3));
    return duration && duration.as('minutes') > 0 ? local.plus(duration) : undefined;
  }
  // The community's wall time, given to chrono as UTC: "tomorrow" and weekdays count in the community's days.
  const [read] = britishEnglish().parse(t, { instant: local.setZone('UTC', { keepLocalTime: true }).toJSDate(), timezone: 0 }, { forwardDate: true });
  if (!read || read.index !== 0 || read.text.length !== t.length || !read.start.isCertain('hour') || read.tags().has('result/relativeDate')) return undefined;
  const at = read.start;
  if (at.isCertain('timezoneOffset')) return DateTime.fromJSDate(at.date()).setZone(zone);
  const dated = at.isCertain('day') || at.isCertain('weekday');
  const day = dated ? { year: at.get('year')!, month: at.get('month')!, day: at.get('day')! } : { year: local.year, month: local.month, day: local.day };
  return wallTime(zone, { ...day, hour: at.get('hour')!, minute: at.get('minute')!, second: at.get('second') ?? 0 });
}

/** A wall time in the zone; undefined if the zone has no such time (2:30 on a spring-forward night). */
function wallTime(zone: string, parts: { year: number; month: number; day: number; hour: number; minute: number; second: number }): DateTime | undefined {
  const at = DateTime.fromObject(parts, { zone });
  return at.isValid && at.hour === parts.hour && at.minute === parts.minute ? at : undefined;
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
