import type { DateTime } from 'luxon';
import type { AgendaItem } from '../catalogue/event';
import { paragraphs, stripBullet, type SourceLine } from './markdown-text';
import { isEndMarker } from './talks';
import { clockFromMatch, formatClock, plusMillis, type Clock, type ParsedClock } from './time';

/** One agenda line before it is placed on a date: time of day (if any) and the markdown after the time. */
export interface AgendaLine {
  clock?: Clock;
  /** 1 when the agenda ran past midnight. */
  dayOffset: number;
  text: string;
  line: number;
}

export interface AgendaProblem {
  line: number;
  message: string;
}

const LEADING_TIME = /^(?:\*\*|__)?\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?:\s*[-–]\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(?:a\.?m\.?|p\.?m\.?)?)?(?:\*\*|__)?(?=[\s\-–—:|,)]|$)/i;
const SEPARATOR = /^\s*(?:[-–—:|]\s*)?/;

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
    if (!parsed.some((p) => p.clock)) continue;
    let last: AgendaLine | undefined;
    for (const p of parsed) {
      if (!p.clock && !p.bullet) {
        // A wrapped line continues the item above it.
        if (last && p.text !== '') last.text = `${last.text} ${p.text}`;
        continue;
      }
      if (p.text === '' && !p.clock) continue;
      let clock: Clock | undefined;
      if (p.clock) {
        anyMeridiem ||= p.clock.meridiem !== undefined;
        const fixed = resolveAgainst(p.clock, previous);
        if (fixed.crossesMidnight) dayOffset = 1;
        else if (fixed.backwards) problems.push({ line: p.source.line, message: `${formatClock(fixed.clock)} is earlier than the item before it (${formatClock(minutesToClock(previous!.minutes))}): check the time for a typo, or write am/pm.` });
        clock = fixed.clock;
        previous = { minutes: clock.hour * 60 + clock.minute, meridiem: p.clock.meridiem ?? previous?.meridiem };
      }
      last = { clock, dayOffset: clock ? dayOffset : 0, text: p.text, line: p.source.line };
      items.push(last);
    }
  }
  if (!anyMeridiem) readAsEvening(items, problems);
  return { items, problems };
}

/** "6:30 Get together ... 9:00 Leave" with no am/pm anywhere is an evening, not a breakfast. */
function readAsEvening(items: AgendaLine[], problems: AgendaProblem[]): void {
  const timed = items.filter((i) => i.clock);
  if (timed.length === 0 || timed[0]!.clock!.hour > 7 || !timed.every((i) => i.clock!.hour >= 1 && i.clock!.hour <= 11)) return;
  for (const item of timed) item.clock = { hour: item.clock!.hour + 12, minute: item.clock!.minute };
  problems.push({ line: timed[0]!.line, message: 'Agenda times have no am/pm and read as morning times; they are taken as evening times. Write "6:30 pm" or "18:30" to be sure.' });
}

function splitTime(raw: string): { clock?: ParsedClock; text: string; bullet: boolean } {
  const unbulleted = stripBullet(raw);
  const body = (unbulleted ?? raw).trim();
  const m = LEADING_TIME.exec(body);
  const clock = m ? clockFromMatch(m[1]!, m[2], m[3]) : undefined;
  if (!m || !clock) return { text: body, bullet: unbulleted !== undefined };
  return { clock, text: body.slice(m[0].length).replace(SEPARATOR, '').trim(), bullet: unbulleted !== undefined };
}

/**
 * "7:00" after "6:30 pm" means 19:00; 00:30 after 23:00 is the next day. Only times that would otherwise run
 * backwards are reinterpreted, so a 24-hour agenda is never touched.
 */
function resolveAgainst(clock: ParsedClock, previous: { minutes: number; meridiem?: 'am' | 'pm' } | undefined): { clock: Clock; crossesMidnight?: boolean; backwards?: boolean } {
  const minutes = clock.hour * 60 + clock.minute;
  if (!previous || minutes >= previous.minutes) return { clock };
  if (!clock.meridiem && clock.hour < 12 && minutes + 12 * 60 >= previous.minutes) return { clock: { hour: clock.hour + 12, minute: clock.minute } };
  if (previous.minutes >= 18 * 60 && minutes < 6 * 60) return { clock, crossesMidnight: true };
  return { clock, backwards: true };
}

function minutesToClock(minutes: number): Clock {
  return { hour: Math.floor(minutes / 60), minute: minutes % 60 };
}

/** Without an end time a meetup lasts this long. */
export const DEFAULT_LENGTH_HOURS = 3;

/** "9:30 pm Leave happy and inspired" ends the meetup; any other last item gets an hour. */
export function endFromAgenda(agenda: readonly AgendaItem[], start: DateTime): DateTime | undefined {
  const timed = agenda.filter((a) => a.start);
  const last = timed[timed.length - 1]?.start;
  if (!last || last < start) return undefined;
  return isEndMarker(timed[timed.length - 1]!.title) && last > start ? last : plusMillis(last, 3_600_000);
}
