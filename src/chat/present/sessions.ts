/**
 * A multi-day event's programme in chat: the days, a day by room, what is on now and next, sessions found by
 * speaker or words. Times are time spans (every reader sees their own zone on Slack and Discord; the console and
 * fallbacks show the event's zone, named in the intro). A long day is split into pages with "More" buttons
 * rather than cut: each page fits the smallest platform limits (see fit.ts).
 */
import type { DateTime } from 'luxon';
import type { MeetupEvent, Session } from '../../catalogue/event';
import type { CommunitySettings } from '../../catalogue/settings';
import { byRoom, findSessions, nowAndNext, programmeDays, type ProgrammeView } from '../../catalogue/programme';
import type { FeedLinks } from '../../feeds/links';
import { safeUrl } from '../../catalogue/safe-url';
import { bold, link, message, time, zoneAbbreviation, type Button, type MessageModel, type RichText, type Section } from '../message';
import { clip, HEADING_MAX, linesToSections, sectionLength } from './fit';
import { titleOf } from './event';

/** Per page: well inside a Discord embed (6,000 characters, 25 fields) and Slack's 50 blocks. */
const PAGE_CHARS = 3600;
const PAGE_SECTIONS = 12;
/** Discord allows 25 buttons (5 rows); leave a row for paging. */
const DAY_BUTTONS_MAX = 20;
/** Discord custom ids are at most 100 characters. */
const BUTTON_ID_MAX = 100;

export interface ProgrammeOptions {
  view: ProgrammeView;
  page?: number;
  now: DateTime;
}

export function presentProgramme(event: MeetupEvent, settings: CommunitySettings, feeds: FeedLinks, options: ProgrammeOptions): MessageModel {
  const { view, now } = options;
  const base = {
    titleUrl: event.url,
    // The programme feed has one entry per session (room as location); the event feed is the event as one entry.
    links: [
      { label: 'Every session in your calendar', url: feeds.talks(event.id) },
      { label: 'The event in your calendar', url: feeds.event(event.id) },
    ].flatMap((l) => (safeUrl(l.url) ? [{ label: l.label, url: safeUrl(l.url)! }] : [])),
    footer: [`Times are in your own zone; the event runs on ${zoneLabel(event)} time. `, `/agenda ${event.id} <day | now | speaker or words>`] as RichText,
  };
  if (view.kind === 'overview') return message({ ...base, title: titleOf(event), intro: overviewIntro(event), sections: daySummary(event), buttons: dayButtons(event) });
  if (view.kind === 'now') return nowMessage(event, now, base);
  if (view.kind === 'day') {
    const day = programmeDays(event).find((d) => d.date === view.date);
    if (!day) return message({ ...base, title: titleOf(event), intro: [`${event.title} has no sessions on ${view.date}.`], sections: daySummary(event), buttons: dayButtons(event), ephemeral: true });
    const sections = byRoom(day.sessions).flatMap((r) => linesToSections(r.room, r.sessions.map((s) => sessionLine(s, false))));
    return paged(sections, options.page ?? 0, (page, pages) =>
      message({ ...base, title: clip(`${event.title}: ${day.sessions[0]!.start.toFormat('cccc d LLLL')}`, HEADING_MAX), intro: [`${day.sessions.length} sessions by room${pages > 1 ? `, page ${page + 1} of ${pages}` : ''}.`], buttons: pageButtons(`agenda:day:${event.id}|${day.date}`, page, pages) }),
    );
  }
  const found = findSessions(event, view.words);
  if (found.length === 0) {
    return message({ ...base, title: titleOf(event), intro: [`No session of ${event.title} matches "${view.words}". Try a speaker's name, words from a title, a room or a track; or a day:`], sections: daySummary(event), buttons: dayButtons(event), ephemeral: true });
  }
  const lines = found.map((s) => sessionLine(s, true));
  return paged(linesToSections(`Sessions matching "${clip(view.words, 60)}"`, lines), options.page ?? 0, (page, pages) =>
    message({ ...base, title: titleOf(event), intro: [`${found.length} session${found.length === 1 ? '' : 's'}${pages > 1 ? `, page ${page + 1} of ${pages}` : ''}.`], buttons: pageButtons(findButtonPrefix(event, view.words), page, pages) }),
  );
}

/** "09:00–09:40 · Lansdowne · Title — Speaker (Company), Speaker"; with `withDay`, the day's date first. */
export function sessionLine(s: Session, withRoomAndDay: boolean): RichText {
  const line: RichText = withRoomAndDay ? [time(s.start, 'date'), ' ', time(s.start, 'time'), '–', time(s.end, 'time')] : [time(s.start, 'time'), '–', time(s.end, 'time')];
  if (withRoomAndDay && s.room) line.push(` · ${s.room}`);
  line.push(' · ');
  const url = s.links[0]?.url;
  line.push(url ? link(url, clip(s.title, 200)) : bold(clip(s.title, 200)));
  if (s.speakers.length > 0) line.push(` — ${clip(s.speakers.map((p) => (p.company ? `${p.name} (${p.company})` : p.name)).join(', '), 200)}`);
  if (s.track) line.push(` [${s.track}]`);
  if (s.cancelled) line.push(' (cancelled)');
  return line;
}

function zoneLabel(event: MeetupEvent): string {
  return `${zoneAbbreviation(event.start)} (${event.timeZone ?? event.start.zoneName})`;
}

function overviewIntro(event: MeetupEvent): RichText {
  const days = programmeDays(event);
  const rooms = new Set((event.sessions ?? []).map((s) => s.room).filter(Boolean));
  const intro: RichText = [time(event.start, 'full'), ' to ', time(event.end, 'full')];
  if (event.venue) intro.push(` · ${event.venue}`);
  intro.push(`\n${event.sessions?.length ?? 0} sessions over ${days.length} day${days.length === 1 ? '' : 's'}${rooms.size > 0 ? ` in ${rooms.size} rooms` : ''}. Pick a day, or ask for now/next or a speaker.`);
  return intro;
}

function daySummary(event: MeetupEvent): Section[] {
  const lines = programmeDays(event).map((d, i): RichText => [bold(`Day ${i + 1}`), ' · ', d.sessions[0]!.start.toFormat('cccc d LLLL'), ` · ${d.sessions.length} sessions, from `, time(d.sessions[0]!.start, 'time')]);
  return linesToSections('Days', lines);
}

function dayButtons(event: MeetupEvent): Button[] {
  const buttons: Button[] = programmeDays(event)
    .slice(0, DAY_BUTTONS_MAX)
    .map((d) => ({ id: `agenda:day:${event.id}|${d.date}|0`, label: d.sessions[0]!.start.toFormat('ccc d LLL') }))
    .filter((b) => b.id.length <= BUTTON_ID_MAX);
  const now = `agenda:now:${event.id}`;
  if (now.length <= BUTTON_ID_MAX) buttons.push({ id: now, label: 'Now and next' });
  return buttons;
}

function nowMessage(event: MeetupEvent, now: DateTime, base: Partial<MessageModel>): MessageModel {
  if (now >= event.end) return message({ ...base, title: titleOf(event), intro: [`${event.title} is over (it ended `, time(event.end, 'relative'), '). Pick a day to see what was on:'], sections: daySummary(event), buttons: dayButtons(event) });
  const { now: running, next } = nowAndNext(event, now);
  const sections: Section[] = [
    ...(running.length > 0 ? linesToSections('On now', running.map((s) => roomFirst(s))) : []),
    ...(next.length > 0 ? linesToSections(now < event.start ? 'First up' : 'Next', next.map((s) => roomFirst(s))) : []),
  ];
  const intro: RichText = now < event.start ? [`${event.title} starts `, time(event.start, 'relative'), '.'] : running.length === 0 ? ['Nothing is on right now.'] : [`${running.length} session${running.length === 1 ? '' : 's'} on now.`];
  return paged(sections, 0, () => message({ ...base, title: titleOf(event), intro, buttons: dayButtons(event) }));
}

function roomFirst(s: Session): RichText {
  return [...(s.room ? [bold(s.room), ': '] : []), ...sessionLine(s, false)];
}

/** The sections of one page, packed in order until the page is full; the builder adds the page's buttons. */
function paged(sections: Section[], page: number, build: (page: number, pages: number) => MessageModel): MessageModel {
  const pages: Section[][] = [[]];
  let size = 0;
  for (const section of sections) {
    const length = sectionLength(section);
    const current = pages[pages.length - 1]!;
    if (current.length > 0 && (size + length > PAGE_CHARS || current.length >= PAGE_SECTIONS)) {
      pages.push([section]);
      size = length;
    } else {
      current.push(section);
      size += length;
    }
  }
  const index = Math.min(Math.max(0, page), pages.length - 1);
  const model = build(index, pages.length);
  return { ...model, sections: pages[index]! };
}

function pageButtons(prefix: string, page: number, pages: number): Button[] {
  const buttons: Button[] = [];
  if (page > 0) buttons.push({ id: `${prefix}|${page - 1}`, label: 'Previous' });
  if (page + 1 < pages) buttons.push({ id: `${prefix}|${page + 1}`, label: `More (${page + 2} of ${pages})`, style: 'primary' });
  return buttons.filter((b) => b.id.length <= BUTTON_ID_MAX);
}

/** `agenda:find:<event>|<words>`, the words cut so the id (with "|<page>") stays within Discord's 100 characters. */
function findButtonPrefix(event: MeetupEvent, words: string): string {
  const head = `agenda:find:${event.id}|`;
  return head + words.slice(0, Math.max(0, BUTTON_ID_MAX - head.length - 4));
}
