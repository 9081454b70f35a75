/**
 * A data file record's agenda, written as text or HTML in one field ("18:05—18:15: Welcome<br>..."): its items,
 * the talks its lines name, and what its text says of the end. Read by the same agenda and talk-line readers as
 * posts.
 */
import type { DateTime } from 'luxon';
import type { AgendaItem, Talk } from '../catalogue/event';
import { endFromAgenda, parseAgendaLines, type AgendaLine } from './agenda';
import type { Diagnostic } from './diagnostics';
import { plainText } from './markdown-text';
import type { Profile } from './profile';
import { findProseDate } from './prose-date';
import { isTalk, parseTalkText } from './talk-text';
import { addDays, atWallTime, type CalendarDate, type TimeOfDay } from './time';

type Report = (d: Omit<Diagnostic, 'file'>) => void;

/** An agenda written as text or HTML in one field ("18:05–18:15: Welcome<br>..."): one line per item. */
export function agendaOf(raw: string | undefined, date: { year: number; month: number; day: number }, zone: string, report: Report): { agenda: AgendaItem[]; untils: (DateTime | undefined)[] } {
  if (!raw) return { agenda: [], untils: [] };
  const lines = htmlToLines(raw).map((t, i) => ({ text: t, line: i + 1 }));
  const { items, problems } = parseAgendaLines(lines);
  for (const p of problems) report({ severity: p.severity, message: p.message });
  const at = (item: AgendaLine, time: TimeOfDay | undefined) => (time ? atWallTime(addDays(date, item.dayOffset + (item.until && time === item.until && item.until.hour < item.time!.hour ? 1 : 0)), time, zone) : undefined);
  return { agenda: items.map((item) => ({ start: at(item, item.time), title: plainText(item.text) })), untils: items.map((item) => at(item, item.until)) };
}

/**
 * A record without a talks list whose agenda names them (`18:15—19:00: "Title" by Speaker`): those agenda items are
 * its talks, read by the same talk-line reader as posts (speakers and companies from the line only).
 */
export function talksFromAgenda(agenda: AgendaItem[], profile: Profile): Talk[] {
  const talks: Talk[] = [];
  for (const item of agenda) {
    const parsed = parseTalkText(item.title, []);
    if (!isTalk(parsed)) continue;
    const speakers = parsed.speakers.filter((sp) => !profile.notSpeaker.test(sp.name));
    item.talkIndex = talks.length;
    talks.push({ title: parsed.title, speakers, kind: parsed.kind, slides: [], ...(item.start ? { start: item.start } : {}) });
  }
  return talks;
}

export function htmlToLines(html: string): string[] {
  return html
    .replace(/<br\s*\/?>|<\/(?:p|li|div|h\d)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim());
}

/**
 * When a record's meetup ends, without an end field: "January 29 2020, 18:00—22:00 @ Omnio" in its text on its
 * date, else its programme, which lists its talks more than its end (a hack night goes on after them), so it can
 * only make the default length longer ("20:55 - 21:00: end()" after a 16:00 start).
 */
export function recordEnd(raw: string | undefined, agenda: { agenda: AgendaItem[]; untils: (DateTime | undefined)[] }, date: CalendarDate, start: DateTime, zone: string, profile: Profile): DateTime {
  const prose = raw ? findProseDate(htmlToLines(raw).map((text, i) => ({ text, line: i + 1 })), undefined, profile.languages) : undefined;
  if (prose?.end && prose.date.year === date.year && prose.date.month === date.month && prose.date.day === date.day) {
    const end = atWallTime(date, prose.end, zone);
    if (end > start) return end;
  }
  const byDefault = start.plus({ minutes: profile.defaultDurationMinutes });
  const byAgenda = endFromAgenda(agenda.agenda, start, agenda.untils, 0);
  return byAgenda && byAgenda > byDefault ? byAgenda : byDefault;
}
