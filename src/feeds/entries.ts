import { ICalEventStatus } from 'ical-generator';
import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { Link, MeetupEvent, Speaker, Talk } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { sessionEntries } from './session-entries';

/** When an agenda gives a talk's start but nothing after it, assume these lengths. */
const DEFAULT_TALK_MINUTES = { talk: 30, lightning: 10, panel: 45, discussion: 45 } as const;

/** One VEVENT as the feeds publish it, before revision data is attached. Only content a calendar shows. */
export interface FeedEntry {
  uid: string;
  summary: string;
  description: string;
  location?: string;
  start: DateTime;
  end: DateTime;
  url?: string;
  status: ICalEventStatus;
}

/**
 * What the feeds show of a catalogue: one entry per meetup (in catalogue order), and per event its talks (an
 * evening meetup) or its sessions (a multi-day programme), in programme order.
 */
export function feedEntries(catalogue: Catalogue, settings: CommunitySettings, publicUrl: string): { meetups: FeedEntry[]; eventIds: string[]; talks: FeedEntry[]; talksByEvent: Map<string, FeedEntry[]> } {
  const domain = uidDomain(settings, publicUrl);
  // A meetup whose date is to be confirmed has only a placeholder (the post's publication day): a calendar
  // entry would be a guessed date in every subscriber's calendar, so it has none until its date is written.
  const dated = catalogue.events.filter((e) => !e.dateToBeConfirmed);
  const talksByEvent = new Map<string, FeedEntry[]>();
  for (const e of dated) {
    const entries = [...talkEntries(e, settings, domain), ...sessionEntries(e, settings, domain)].map(clean);
    if (entries.length > 0) talksByEvent.set(e.id, entries);
  }
  return {
    meetups: dated.map((e) => clean(meetupEntry(e, settings, domain))),
    eventIds: dated.map((e) => e.id),
    talks: [...talksByEvent.values()].flat(),
    talksByEvent,
  };
}

/**
 * Text as RFC 5545 allows it: no control characters but tab and line breaks (pasted text brings vertical tabs
 * and BELs, which strict parsers reject and ical-generator passes through).
 */
export function withoutControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}

function clean(entry: FeedEntry): FeedEntry {
  return { ...entry, summary: withoutControls(entry.summary), description: withoutControls(entry.description), location: entry.location && withoutControls(entry.location) };
}

/**
 * The right-hand side of every UID: the community website's host, so UIDs survive moving the bot to another
 * server; the bot's own host only when no website is configured.
 */
function uidDomain(settings: CommunitySettings, publicUrl: string): string {
  for (const candidate of [settings.website, publicUrl]) {
    try {
      if (candidate) return new URL(candidate).hostname;
    } catch {
      // not a URL: try the next candidate
    }
  }
  return 'sremuc-bot.invalid';
}

/** Ids are file names; UIDs must not carry separators or line breaks, so anything unusual is percent-encoded. */
export function meetupUid(event: MeetupEvent, domain: string): string {
  return `${encodeURIComponent(event.id)}@${domain}`;
}

function meetupEntry(event: MeetupEvent, settings: CommunitySettings, domain: string): FeedEntry {
  const cancelled = event.status === 'cancelled';
  return {
    uid: meetupUid(event, domain),
    summary: cancelled ? `CANCELLED: ${event.title}` : event.title,
    description: meetupDescription(event, settings),
    location: locationOf(event),
    start: event.start.setZone(zoneOf(event, settings)),
    end: event.end.setZone(zoneOf(event, settings)),
    url: event.url,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

/** An event's own zone (an imported conference abroad), else the community's. */
function zoneOf(event: MeetupEvent, settings: CommunitySettings): string {
  return event.timeZone ?? settings.timeZone;
}

function locationOf(event: MeetupEvent): string | undefined {
  const place = [event.venue, event.address].filter(Boolean).join(', ');
  return place || event.online || undefined;
}

function meetupDescription(event: MeetupEvent, settings: CommunitySettings): string {
  const blocks: string[] = [];
  if (event.status === 'cancelled') blocks.push('This meetup has been cancelled.');
  if (event.summary) blocks.push(event.summary);
  if (event.online && locationOf(event) !== event.online) blocks.push(`Join online: ${event.online}`);
  if (event.agenda.length > 0) blocks.push(agendaText(event, zoneOf(event, settings)));
  if (event.talks.length > 0) blocks.push(['Talks:', ...event.talks.map(talkLines)].join('\n'));
  if (event.slides.length > 0) blocks.push(linkList('Slides:', event.slides));
  if (event.recordings.length > 0) blocks.push(linkList('Recordings:', event.recordings));
  if (event.url) blocks.push(`Details: ${event.url}`);
  blocks.push(`Questions, ideas, talks: ${settings.contact}`);
  return blocks.join('\n\n');
}

function agendaText(event: MeetupEvent, zone: string): string {
  const lines = event.agenda.map((item) => `${item.start ? item.start.setZone(zone).toFormat('HH:mm') : '     '}  ${item.title}`);
  return [`Agenda (${zone}):`, ...lines].join('\n');
}

function talkLines(talk: Talk): string {
  const lines = [`- ${talk.title}${talk.speakers.length ? ` (${speakerNames(talk.speakers)})` : ''}`];
  if (talk.abstract) lines.push(indent(talk.abstract));
  for (const slide of talk.slides) lines.push(`  Slides: ${slide.url}`);
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `  ${line}`)
    .join('\n');
}

function linkList(heading: string, links: Link[]): string {
  return [heading, ...links.map((l) => `- ${l.label}: ${l.url}`)].join('\n');
}

function speakerNames(speakers: Speaker[]): string {
  return speakers.map((s) => (s.company ? `${s.name}, ${s.company}` : s.name)).join('; ');
}

const KIND_LABEL: Record<Talk['kind'], string> = {
  talk: 'Talk',
  lightning: 'Lightning talk',
  panel: 'Panel',
  discussion: 'Discussion',
};

/**
 * One entry per talk. Its UID is the meetup's plus the talk's place in the programme, not its title: organizers
 * correct titles ("Talk 1" becomes the real one) far more often than they reorder talks, and a UID that changes
 * makes calendars drop the entry and add a new one, where a changed entry is just updated (new SEQUENCE).
 */
function talkEntries(event: MeetupEvent, settings: CommunitySettings, domain: string): FeedEntry[] {
  const cancelled = event.status === 'cancelled';
  const zone = zoneOf(event, settings);
  const day = event.talks.length > 0 ? event.start.setZone(zone).setLocale('en-GB').toFormat('d LLLL yyyy') : '';
  return event.talks.map((talk, index) => {
    const { start, end } = talkWindow(event, index);
    const title = `${talk.title}${talk.speakers.length ? ` (${speakerNames(talk.speakers)})` : ''}`;
    return {
      uid: `${encodeURIComponent(event.id)}-talk-${index + 1}@${domain}`,
      summary: cancelled ? `CANCELLED: ${title}` : title,
      description: talkDescription(event, talk, day),
      location: locationOf(event),
      start: start.setZone(zone),
      end: end.setZone(zone),
      url: event.url,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    };
  });
}

function talkDescription(event: MeetupEvent, talk: Talk, day: string): string {
  const blocks: string[] = [];
  if (event.status === 'cancelled') blocks.push('This meetup has been cancelled.');
  blocks.push(`${KIND_LABEL[talk.kind]} at ${event.title}, ${day}`);
  if (talk.speakers.length > 0) blocks.push(`Speakers: ${speakerNames(talk.speakers)}`);
  if (talk.abstract) blocks.push(talk.abstract);
  for (const s of talk.speakers) if (s.bio) blocks.push(`About ${s.name}: ${s.bio}`);
  if (talk.slides.length > 0) blocks.push(linkList('Slides:', talk.slides));
  if (event.url) blocks.push(`Meetup: ${event.url}`);
  return blocks.join('\n\n');
}

/**
 * When a talk happens: its own start (or its agenda line's), until the next timed agenda line, else for the
 * usual length of its kind (a lightning talk is 10 minutes, not the rest of the evening), never past the
 * meetup's end. Without any time for the talk, the meetup's whole window: better vague than wrong.
 */
export function talkWindow(event: MeetupEvent, index: number): { start: DateTime; end: DateTime } {
  const talk = event.talks[index]!;
  const start = talk.start ?? event.agenda.find((a) => a.talkIndex === index)?.start;
  if (!start) return { start: event.start, end: event.end };
  const next = event.agenda
    .map((a) => a.start)
    .filter((t): t is DateTime => t !== undefined && t > start)
    .sort((a, b) => a.toMillis() - b.toMillis())[0];
  if (next) return { start, end: next };
  const usual = start.plus({ minutes: DEFAULT_TALK_MINUTES[talk.kind] });
  return { start, end: event.end > start && event.end < usual ? event.end : usual };
}
