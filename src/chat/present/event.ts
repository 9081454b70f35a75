import type { DateTime } from 'luxon';
import type { AgendaItem, MeetupEvent } from '../../catalogue/event';
import type { CommunitySettings } from '../../catalogue/settings';
import type { FeedLinks } from '../../feeds/links';
import { safeUrl } from '../../catalogue/safe-url';
import { isUndatedHistory } from '../../catalogue/undated';
import { bold, link, linkItem, message, time, type Button, type Field, type LinkItem, type MessageModel, type RichText, type Section } from '../message';
import { rsvpButtons } from '../../rsvp/present';
import { clip, HEADING_MAX, linesToSections, MORE_LINE_ROOM, textLength } from './fit';
import { pageLink, speakersText, withTalks } from './talk-sections';

/** Button that shows a meetup's abstracts; commands/agenda.ts answers it. */
export const abstractsButtonId = (eventId: string): string => `agenda:abstracts:${eventId}`;

export interface AgendaOptions {
  /** Put the talks' abstracts in the message (shortened to fit) instead of offering a button. */
  abstracts?: boolean;
  /**
   * When given, a meetup that is over says so and points to its slides and recordings, and an old post without
   * a meetup date says when it was posted instead of "date to be confirmed".
   */
  now?: DateTime;
}

/** The agenda of one meetup: what /agenda answers. */
export function presentAgenda(event: MeetupEvent, settings: CommunitySettings, feeds: FeedLinks, options: AgendaOptions = {}): MessageModel {
  const over = options.now !== undefined && !event.dateToBeConfirmed && event.end <= options.now;
  const base = message({
    title: titleOf(event),
    titleUrl: event.url,
    intro: statusIntro(event, over),
    fields: factFields(event, options.now),
    sections: agendaSections(event),
    // A meetup without its date has no calendar entry (the feeds never carry a guessed date).
    links: eventLinks(event, feeds, { calendar: !over && !event.dateToBeConfirmed }),
    buttons: [...(event.rsvp && !over && event.status !== 'cancelled' && !event.dateToBeConfirmed ? rsvpButtons(event) : []), ...(options.abstracts ? [] : abstractsButtons(event))],
    footer: footer(settings),
  });
  return withTalks(base, event, options.abstracts ? 'abstracts' : 'summary');
}

/** The talks' abstracts, each shortened to a fair share of what fits, with a link to the full page when cut. */
export function presentAbstracts(event: MeetupEvent, settings: CommunitySettings, feeds: FeedLinks): MessageModel {
  const base = message({
    title: clip(`Abstracts: ${event.title}`, HEADING_MAX),
    titleUrl: event.url,
    intro: event.talks.length === 0 ? ['No talks have been announced for this meetup yet.'] : undefined,
    links: eventLinks(event, feeds, { calendar: false }),
    footer: footer(settings),
  });
  return withTalks(base, event, 'abstracts');
}

/** One line for /next: what, when, where, and how to hear about the next ones. */
export function presentNextLine(event: MeetupEvent, settings: CommunitySettings, feeds: FeedLinks): MessageModel {
  return message({
    intro: [
      'Next: ',
      event.url ? link(event.url, event.title) : bold(event.title),
      ', ',
      ...when(event, 'full'),
      ...placeShort(event),
      '. ',
      ...(event.dateToBeConfirmed ? ['Subscribe to ', link(feeds.page, `all ${settings.name} meetups`), ' to get it once its date is set'] : [link(feeds.event(event.id), 'Add it to your calendar'), ' or ', link(feeds.page, `subscribe to all ${settings.name} meetups`)]),
      '.',
    ],
  });
}

/** A meetup as one line of a list: date, title (linked), venue, and "cancelled" when it is. */
export function eventLine(event: MeetupEvent, options: { withId?: boolean; now?: DateTime } = {}): RichText {
  const line: RichText = [...when(event, 'date', options.now), ' · ', event.url ? link(event.url, event.title) : event.title];
  if (event.venue) line.push(' · ', event.venue);
  else if (event.online !== undefined) line.push(' · online');
  if (event.status === 'cancelled') line.push(' (cancelled)');
  if (options.withId) line.push(' · ', { kind: 'code', text: event.id });
  return line;
}

/**
 * The meetup's time, or, when the source gave none (its start is only a placeholder), "date to be confirmed"
 * for a recent post and when it was posted for an old one: a 2018 meetup is not waiting for its date, and the
 * bot does not guess it.
 */
function when(event: MeetupEvent, format: 'full' | 'date', now?: DateTime): RichText {
  if (!event.dateToBeConfirmed) return [time(event.start, format)];
  if (now && isUndatedHistory(event, now)) return ['posted ', time(event.source.publishedAt ?? event.start, 'date'), '; the meetup date is not in the post'];
  return ['date to be confirmed'];
}

/** The meetup's title as a heading, saying when it is cancelled. */
export function titleOf(event: MeetupEvent): string {
  return clip(event.status === 'cancelled' ? `Cancelled: ${event.title}` : event.title, HEADING_MAX);
}

function statusIntro(event: MeetupEvent, over: boolean): RichText | undefined {
  if (event.status === 'cancelled') return ['This meetup is cancelled.'];
  if (over) {
    const slides = event.slides.length + event.talks.reduce((n, t) => n + t.slides.length, 0) > 0;
    const recordings = event.recordings.length > 0;
    const material = [slides ? 'slides' : '', recordings ? 'recordings' : ''].filter(Boolean).join(' and ');
    return ['This meetup took place on ', time(event.start, 'date'), material ? `. The ${material} are linked below.` : '.'];
  }
  return undefined;
}

/** When, doors, where: short facts, shown side by side. */
function factFields(event: MeetupEvent, now?: DateTime): Field[] {
  const fields: Field[] = event.dateToBeConfirmed ? [{ name: 'When', value: when(event, 'date', now), inline: true }] : [
    { name: 'When', value: [time(event.start, 'date'), ', ', time(event.start, 'time'), '–', time(event.end, 'time')], inline: true },
    { name: event.online !== undefined && !event.venue ? 'Online from' : 'Doors open', value: [time(event.start, 'time')], inline: true },
  ];
  const where = whereText(event);
  if (where) fields.push({ name: 'Where', value: where, inline: true });
  return fields;
}

function whereText(event: MeetupEvent): RichText | undefined {
  const parts: RichText = [];
  if (event.venue) parts.push(clip(event.venue, 200));
  if (event.address) parts.push(...(parts.length ? [', '] : []), clip(event.address, 300));
  if (event.online !== undefined) parts.push(...(parts.length ? [' · '] : []), safeUrl(event.online) ? link(event.online, 'Join online') : 'Online (the link follows)');
  return parts.length > 0 ? parts : undefined;
}

/** " at Celonis" / " online": the place as a sentence ending. */
function placeShort(event: MeetupEvent): RichText {
  if (event.venue) return [' at ', clip(event.venue, 200)];
  if (event.online !== undefined) return [' online'];
  return [];
}


/**
 * The agenda gets at most AGENDA_MAX characters, so the talks below it keep room: long lines are shortened
 * first, and if that is not enough the last items give way to a pointer to the full page.
 */
function agendaSections(event: MeetupEvent): Section[] {
  if (event.agenda.length === 0) return [{ heading: 'Agenda', body: ['The agenda will be announced soon.'] }];
  const full = event.agenda.map((item) => agendaLine(event, item, LINE_MAX));
  if (linesLength(full) <= AGENDA_MAX) return linesToSections('Agenda', full);
  const lineMax = Math.max(SHORT_LINE_MIN, Math.floor(AGENDA_MAX / event.agenda.length));
  const short = event.agenda.map((item) => agendaLine(event, item, lineMax));
  const kept: RichText[] = [];
  let used = 0;
  for (const line of short) {
    if (used + textLength(line) + 1 > AGENDA_MAX - MORE_LINE_ROOM) break;
    kept.push(line);
    used += textLength(line) + 1;
  }
  const left = short.length - kept.length;
  if (left > 0) kept.push([`… ${left} more item${left === 1 ? '' : 's'}`, ...pageLink(event, ': ', 'see the full agenda')]);
  return linesToSections('Agenda', kept);
}

const AGENDA_MAX = 2000;
const LINE_MAX = 300;
const SHORT_LINE_MIN = 60;

function linesLength(lines: RichText[]): number {
  return lines.reduce((n, line) => n + textLength(line) + 1, 0);
}

function agendaLine(event: MeetupEvent, item: AgendaItem, max: number): RichText {
  const talk = item.talkIndex !== undefined ? event.talks[item.talkIndex] : undefined;
  const line: RichText = [item.start ? time(item.start, 'time') : '·', '  '];
  if (!talk) return [...line, clip(item.title, max)];
  // Posts often put the speaker in the agenda line already ("Talk 1: Title (Speaker, Company)").
  const speakers = talk.speakers.length > 0 && !talk.speakers.some((s) => item.title.includes(s.name)) ? ` — ${speakersText(talk.speakers)}` : '';
  const titleRoom = Math.max(Math.floor(max / 2), max - speakers.length);
  line.push(bold(clip(item.title, titleRoom)));
  if (speakers) line.push(clip(speakers, Math.max(max - Math.min(item.title.length, titleRoom), 20)));
  return line;
}

function abstractsButtons(event: MeetupEvent): Button[] {
  return event.talks.some((t) => t.abstract?.trim()) ? [{ id: abstractsButtonId(event.id), label: 'Abstracts' }] : [];
}

function eventLinks(event: MeetupEvent, feeds: FeedLinks, options: { calendar: boolean }): LinkItem[] {
  const links: LinkItem[] = [];
  links.push(...linkItem(event.url, 'Event page'));
  if (options.calendar && event.status !== 'cancelled') links.push(...linkItem(feeds.event(event.id), 'Add to calendar'));
  for (const slides of event.slides.slice(0, 5)) links.push(...linkItem(slides.url, slides.label || 'Slides'));
  for (const recording of event.recordings.slice(0, 5)) links.push(...linkItem(recording.url, recording.label || 'Recording'));
  return links;
}

function footer(settings: CommunitySettings): RichText {
  return [settings.hashtag, ' · ', settings.contact];
}
