import type { DateTime } from 'luxon';
import type { AgendaItem } from '../catalogue/event';
import { paragraphs, stripBullet, type SourceLine } from './markdown-text';
import { isEndMarker } from './talk-text';
import { CLOCK_WORD, timeOfDayFromMatch, formatTimeOfDay, type TimeOfDay, type ParsedTimeOfDay } from './time';

/** One agenda line before it is placed on a date: time of day (if any) and the markdown after the time. */
export interface AgendaLine {
  time?: TimeOfDay;
  /** The item's own end when written as a range ("18:25 - 18:30"); on the next day when before `time`. */
  until?: TimeOfDay;
  /** 1 when the agenda ran past midnight. */
  dayOffset: number;
  text: string;
  line: number;
  /** Bullets nested under this item (speakers, slides, a description): its details, never items of their own. */
  details: SourceLine[];
  /** List nesting of the item's bullet (undefined outside a list). */
  depth?: number;
  /** In a programme over several days: the heading that starts the item's day, and that day's place (0 first). */
  dayHeading?: { text: string; line: number; ordinal: number };
}

export interface AgendaProblem {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * A time at the start of a line, or a range: "6:30 pm", "19:00 Uhr", "19 h 15" (19:15), "20:00 hrs" (CLOCK_WORD:
 * the word for o'clock, which also makes a bare hour a time). The word some languages put before it ("kl. 18.00",
 * "ore 19:00", "godz. 18:00") is skipped.
 */
const LEADING_TIME = new RegExp(
  String.raw`^(?:\*\*|__)?\s*~?\s*(?:(?:kl|ore|alle|às|um|om|godz)\.?\s+)?(\d{1,2})(?:(?:[:.]|\s?h\s?)(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?${CLOCK_WORD}` +
    String.raw`(?:(?:\s*[-–—]\s*|\s+(?:to|tot|bis|à|al|till|until|do)\s+)(\d{1,2})(?:(?:[:.]|\s?h\s?)(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?${CLOCK_WORD})?(?:\*\*|__)?(?=[\s\-–—:|,)]|$)`,
  'iu',
);
/** Before 07:00, "2h" or "2 hrs" at the start of a line is a length ("2h: hands-on"), not two in the morning; "2 Uhr" is a time. */
const EARLIEST_BARE_H = 7;
/** "19:30—end Food and hanging out", "20:00 - open end: Drinks": a range left open, not the end of the meetup. */
const OPEN_RANGE = /^\s*[-–—]\s*(?:open\s+end|end|late|open)\b/i;
const SEPARATOR = /^\s*(?:[-–—:|/·•→»]\s*)*/;

/**
 * Reads the lines under `## Agenda` in every shape the community uses: `* 6:30 pm ...`, `- 19:00 - ...`,
 * `** 19:00 - ...`, `8:10pm` without a space, lines without a bullet, and untimed bullets between timed ones
 * (kept without a time). Paragraphs without any time are prose around the agenda and are left out.
 */
export function parseAgendaLines(lines: readonly SourceLine[]): { items: AgendaLine[]; problems: AgendaProblem[] } {
  const items: AgendaLine[] = [];
  const problems: AgendaProblem[] = [];
  let previous: { minutes: number; meridiem?: 'am' | 'pm' } | undefined;
  let dayOffset = 0;
  let anyMeridiem = false;
  for (const paragraph of paragraphs(lines)) {
    const parsed = paragraph.map((l) => ({ source: l, ...splitTime(l.text) }));
    for (const p of parsed) {
      if (p.invalid) problems.push({ line: p.source.line, severity: 'error', message: `"${p.invalid}" is not a time of day: write it as 18:30 or 6:30 pm.` });
    }
    if (!parsed.some((p) => p.time)) continue;
    let last: AgendaLine | undefined;
    for (const p of parsed) {
      if (last && isDetailOf(p.source, last, p.time !== undefined)) {
        last.details.push(p.source);
        continue;
      }
      if (!p.time && !p.bullet) {
        // A wrapped line continues the item above it.
        if (last && p.text !== '') last.text = `${last.text} ${p.text}`;
        continue;
      }
      if (p.text === '' && !p.time) continue;
      let time: TimeOfDay | undefined;
      if (p.time) {
        anyMeridiem ||= p.time.meridiem !== undefined;
        const fixed = resolveAgainst(p.time, previous);
        if (fixed.crossesMidnight) dayOffset = 1;
        else if (fixed.backwards) problems.push({ line: p.source.line, severity: 'warning', message: `${formatTimeOfDay(fixed.time)} is earlier than the item before it (${formatTimeOfDay(minutesToTime(previous!.minutes))}): check the time for a typo, or write am/pm.` });
        time = fixed.time;
        previous = { minutes: time.hour * 60 + time.minute, meridiem: p.time.meridiem ?? previous?.meridiem };
      }
      const until = time && p.until ? rangeEnd(time, p.until) : undefined;
      last = { time, ...(until ? { until } : {}), dayOffset: time ? dayOffset : 0, text: p.text, line: p.source.line, details: [], depth: p.source.depth };
      items.push(last);
    }
  }
  if (!anyMeridiem) readAsEvening(items, problems);
  return { items, problems };
}

/**
 * A bullet nested deeper than the item above it belongs to that item. Timed bullets under an untimed one are the
 * programme itself (a "Programme:" bullet holding the times), so they stay items.
 */
function isDetailOf(line: SourceLine, item: AgendaLine, timed: boolean): boolean {
  if (line.depth === undefined || item.depth === undefined || line.depth <= item.depth) return false;
  return !(timed && !item.time);
}

/** "6:30 Get together ... 9:00 Leave" with no am/pm anywhere is an evening, not a breakfast. */
function readAsEvening(items: AgendaLine[], problems: AgendaProblem[]): void {
  const timed = items.filter((i) => i.time);
  if (timed.length === 0 || timed[0]!.time!.hour > 7 || !timed.every((i) => i.time!.hour >= 1 && i.time!.hour <= 11)) return;
  for (const item of timed) {
    item.time = { hour: item.time!.hour + 12, minute: item.time!.minute };
    if (item.until && item.until.hour < 12) item.until = { hour: item.until.hour + 12, minute: item.until.minute };
  }
  problems.push({ line: timed[0]!.line, severity: 'warning', message: 'Agenda times have no am/pm and read as morning times; they are taken as evening times. Write "6:30 pm" or "18:30" to be sure.' });
}

/** "6:30 - 7:00" after its start reads 7:00 in the same half of the day; "23:30 - 0:30" ends after midnight. */
function rangeEnd(time: TimeOfDay, until: ParsedTimeOfDay): TimeOfDay | undefined {
  const minutes = (t: TimeOfDay) => t.hour * 60 + t.minute;
  if (minutes(until) > minutes(time)) return { hour: until.hour, minute: until.minute };
  if (!until.meridiem && until.hour < 12 && minutes(until) + 720 > minutes(time)) return { hour: until.hour + 12, minute: until.minute };
  return time.hour >= 18 && until.hour < 6 ? { hour: until.hour, minute: until.minute } : undefined;
}

function splitTime(raw: string): { time?: ParsedTimeOfDay; until?: ParsedTimeOfDay; invalid?: string; text: string; bullet: boolean } {
  const unbulleted = stripBullet(raw);
  const body = (unbulleted ?? raw).trim();
  const m = LEADING_TIME.exec(body);
  const time = m ? clockTime(m[1]!, m[2], m[3], m[4]) : undefined;
  const bullet = unbulleted !== undefined;
  if (time === 'invalid') return { invalid: m![0].replace(/[*_]/g, '').trim(), text: body, bullet };
  if (!m || !time) return { text: body, bullet };
  const until = m[5] === undefined ? undefined : clockTime(m[5], m[6], m[7], m[8] ?? m[4]);
  return { time, ...(until && until !== 'invalid' ? { until } : {}), text: body.slice(m[0].length).replace(OPEN_RANGE, '').replace(SEPARATOR, '').trim(), bullet };
}

/** A time read by LEADING_TIME; a bare early hour with a clock word other than Uhr is a length ("2h: hands-on"). */
function clockTime(hour: string, minute: string | undefined, meridiem: string | undefined, clockWord: string | undefined): ParsedTimeOfDay | 'invalid' | undefined {
  const bareHour = minute === undefined && meridiem === undefined;
  if (bareHour && clockWord && clockWord.toLowerCase() !== 'uhr' && Number(hour) < EARLIEST_BARE_H) return undefined;
  return timeOfDayFromMatch(hour, minute, meridiem, clockWord);
}

/**
 * "7:00" after "6:30 pm" means 19:00; 00:30 after 23:00 is the next day. Only times that would otherwise run
 * backwards are reinterpreted, so a 24-hour agenda is never touched.
 */
function resolveAgainst(time: ParsedTimeOfDay, previous: { minutes: number; meridiem?: 'am' | 'pm' } | undefined): { time: TimeOfDay; crossesMidnight?: boolean; backwards?: boolean } {
  const minutes = time.hour * 60 + time.minute;
  if (!previous || minutes >= previous.minutes) return { time };
  if (!time.meridiem && time.hour < 12 && minutes + 12 * 60 >= previous.minutes) return { time: { hour: time.hour + 12, minute: time.minute } };
  if (previous.minutes >= 18 * 60 && minutes < 6 * 60) return { time, crossesMidnight: true };
  return { time, backwards: true };
}

function minutesToTime(minutes: number): TimeOfDay {
  return { hour: Math.floor(minutes / 60), minute: minutes % 60 };
}

/** "25-30 minutes: retrospective", "40 minutes environ: code!": an item given by its length, not its time. */
const DURATION = /^~?\s*\d{1,3}(?:\s*[-–]\s*\d{1,3})?\s*(?:min(?:utes?|utos|uten|\.)?|h|hours?|heures?|stunden?|horas?)\b/i;

/** A list of two items or more, each starting with its length: an agenda of durations, its items untimed. */
export function durationItems(lines: readonly SourceLine[]): AgendaLine[] | undefined {
  const bullets = lines.filter((l) => stripBullet(l.text) !== undefined);
  const top = Math.min(...bullets.map((l) => l.depth ?? 1));
  const items = bullets.filter((l) => (l.depth ?? 1) === top);
  if (items.length < 2 || !items.every((l) => DURATION.test(stripBullet(l.text)!.trim()))) return undefined;
  return items.map((l) => ({ dayOffset: 0, text: stripBullet(l.text)!.trim(), line: l.line, details: [], depth: l.depth }));
}

/** Without an end time a meetup lasts this long. */
export const DEFAULT_LENGTH_HOURS = 3;

/**
 * Where the agenda says the meetup ends: the end of its last item when written as a range ("18:25 - 18:30:
 * Closing remarks"), else a last item that ends it ("9:30 pm Leave happy and inspired"); what follows a closing
 * item without a time of its own to end ("21:00: Let's continue at a nearby bar") is after the meetup. Any other
 * last item gets `openEndMinutes`. `untils` are the items' written ends, by index.
 */
export function endFromAgenda(agenda: readonly AgendaItem[], start: DateTime, untils: readonly (DateTime | undefined)[] = [], openEndMinutes = 60): DateTime | undefined {
  const timed = agenda.flatMap((a, i) => (a.start ? [{ start: a.start, title: a.title, until: untils[i] }] : []));
  const last = timed[timed.length - 1];
  if (!last || last.start < start) return undefined;
  const closing = timed.map((a) => isEndMarker(a.title)).lastIndexOf(true);
  if (closing >= 0 && closing < timed.length - 1 && timed.slice(closing + 1).every((a) => !a.until)) return timed[closing]!.until ?? timed[closing + 1]!.start;
  if (last.until && last.until > last.start) return last.until;
  return isEndMarker(last.title) && last.start > start ? last.start : last.start.plus({ minutes: openEndMinutes });
}
