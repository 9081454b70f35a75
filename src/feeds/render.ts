import ical, { escape, ICalAlarmType, ICalCalendarMethod, ICalEvent, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { Duration, type DateTime } from 'luxon';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/catalogue';
import type { Link, MeetupEvent, Speaker, Talk } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { feedLinks, talksFeedLinks } from './links';
import { contentHash, type FeedSequences, type Revision } from './sequence';

/** How often subscribed clients should poll (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const FEED_TTL = Duration.fromObject({ hours: 1 });
const PRODID = { company: 'sremuc-bot', product: 'feeds', language: 'EN' };
/** Longest reminder a subscriber may ask for with ?alarm=: one week. */
export const MAX_ALARM_MINUTES = 7 * 24 * 60;
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

export interface FeedOptions {
  /** Minutes before start for a display reminder; none when undefined. */
  alarmMinutes?: number;
}

export interface FeedSetInput {
  catalogue: Catalogue;
  settings: CommunitySettings;
  sequences: FeedSequences;
  /** Public base URL of the feed server: links in the calendars, and the UID domain when no website is set. */
  publicUrl: string;
}

interface CalendarMeta {
  name: string;
  description: string;
  source: string;
}

/**
 * Every feed for one catalogue, built on each reload (which is also when SEQUENCE numbers are recorded) and
 * rendered to ICS text by ical-generator: plain, and once per `?alarm=` request.
 */
export class FeedSet {
  readonly meetups: readonly FeedEntry[];
  readonly talks: readonly FeedEntry[];
  private readonly byEventId: Map<string, FeedEntry>;
  private readonly revisions: Map<string, Revision>;
  private readonly organizer: Organizer;
  /**
   * The calendar events are rendered against. It has no zone name: with one, ical-generator writes DTSTAMP,
   * CREATED and LAST-MODIFIED as floating local times, which RFC 5545 forbids; DTSTART/DTEND carry TZID from
   * each event's own zone.
   */
  private readonly zoneless = ical();

  private constructor(
    private readonly settings: CommunitySettings,
    private readonly publicUrl: string,
    meetups: FeedEntry[],
    talks: FeedEntry[],
    eventIds: string[],
    sequences: FeedSequences,
  ) {
    this.meetups = meetups;
    this.talks = talks;
    this.byEventId = new Map(eventIds.map((id, i) => [id, meetups[i]!]));
    this.organizer = organizerOf(settings);
    this.revisions = sequences.record([...meetups, ...talks].map((e) => ({ uid: e.uid, hash: entryHash(e, this.organizer) })));
  }

  static build({ catalogue, settings, sequences, publicUrl }: FeedSetInput): FeedSet {
    const domain = uidDomain(settings, publicUrl);
    const events = catalogue.events;
    const meetups = events.map((e) => clean(meetupEntry(e, settings, domain)));
    const talks = events.flatMap((e) => talkEntries(e, settings, domain).map(clean));
    return new FeedSet(settings, publicUrl, meetups, talks, events.map((e) => e.id), sequences);
  }

  eventIds(): string[] {
    return [...this.byEventId.keys()];
  }

  revision(uid: string): Revision | undefined {
    return this.revisions.get(uid);
  }

  /** When a meetup's calendar content last changed. */
  eventModified(id: string): DateTime | undefined {
    const entry = this.byEventId.get(id);
    return entry && this.revisions.get(entry.uid)?.modified;
  }

  /** All meetups, past and upcoming. */
  calendar(options: FeedOptions = {}): string {
    const links = feedLinks(this.publicUrl);
    return this.render(this.meetups, options, {
      name: this.settings.name,
      description: `${this.settings.name} meetups (${this.settings.hashtag}). Subscribe: ${links.page}`,
      source: links.calendar,
    });
  }

  /** One VEVENT per talk, with speakers and abstract. */
  talksCalendar(options: FeedOptions = {}): string {
    return this.render(this.talks, options, {
      name: `${this.settings.name} talks`,
      description: `Every talk at ${this.settings.name} meetups, with speakers and abstracts.`,
      source: talksFeedLinks(this.publicUrl).calendar,
    });
  }

  /** One meetup on its own, for "add to my calendar"; undefined for an unknown id. */
  eventCalendar(id: string, options: FeedOptions = {}): string | undefined {
    const entry = this.byEventId.get(id);
    if (!entry) return undefined;
    return this.render([entry], options, {
      name: `${this.settings.name}: ${entry.summary}`,
      description: entry.summary,
      source: feedLinks(this.publicUrl).event(id),
    });
  }

  /**
   * ical-generator renders the calendar's properties and every event. They are joined and folded here because
   * its calendar toString() folds with a new TextEncoder per character: 6-7 s for 1,000 meetups on this machine,
   * where rendering the same events unfolded and folding them with foldLines() takes a fraction of a second.
   */
  private render(entries: readonly FeedEntry[], options: FeedOptions, meta: CalendarMeta): string {
    const links = feedLinks(this.publicUrl);
    // ical-generator 10 escapes event text but not the calendar's name and description: a line break in the
    // community name would start a property of its own.
    const frame = ical({
      name: escape(plainText(meta.name), false),
      description: escape(plainText(meta.description), false),
      prodId: PRODID,
      method: ICalCalendarMethod.PUBLISH,
      url: links.page,
      source: meta.source,
      ttl: FEED_TTL.as('seconds'),
      x: [['X-WR-TIMEZONE', this.settings.timeZone]],
    }).toString();
    const zones = [...new Set(entries.map((e) => e.start.zoneName!))].map(vtimezoneBlock).join('');
    const events = entries.map((e) => this.vevent(e, options)).join('');
    return `${frame.slice(0, frame.lastIndexOf('END:VCALENDAR'))}${foldLines(zones + events)}END:VCALENDAR\r\n`;
  }

  private vevent(entry: FeedEntry, options: FeedOptions): string {
    const revision = this.revisions.get(entry.uid)!;
    const event = new ICalEvent(
      {
        id: entry.uid,
        sequence: revision.sequence,
        stamp: revision.modified.toJSDate(),
        created: revision.created.toJSDate(),
        lastModified: revision.modified.toJSDate(),
        start: entry.start,
        end: entry.end,
        timezone: entry.start.zoneName,
        summary: entry.summary,
        description: entry.description,
        location: entry.location ?? null,
        url: entry.url ?? null,
        organizer: this.organizer,
        status: entry.status,
      },
      this.zoneless,
    );
    // A cancelled meetup reminds no one.
    if (options.alarmMinutes !== undefined && entry.status !== ICalEventStatus.CANCELLED) {
      event.createAlarm({ type: ICalAlarmType.display, trigger: options.alarmMinutes * 60, description: entry.summary });
    }
    return event.toString();
  }
}

/** The zone's VTIMEZONE from @touch4it/ical-timezones (the generator ical-generator takes), with CRLF line ends. */
function vtimezoneBlock(zone: string): string {
  const component = getVtimezoneComponent(zone);
  return component ? `${component.replace(/\r?\n/g, '\r\n').trim()}\r\n` : '';
}

/**
 * RFC 5545 3.1 line folding: at most 75 octets per line, continuation lines start with a space, never splitting
 * a UTF-8 sequence. Lines that already fit (most of them) are passed through untouched.
 */
export function foldLines(text: string): string {
  return text
    .split('\r\n')
    .map((line) => (Buffer.byteLength(line) <= 75 ? line : foldLine(line)))
    .join('\r\n');
}

function foldLine(line: string): string {
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  let limit = 75;
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > limit) {
      parts.push(line.slice(start, i));
      start = i;
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    octets += size;
    i += code > 0xffff ? 2 : 1;
  }
  parts.push(line.slice(start));
  return parts.join('\r\n ');
}

/**
 * Text as RFC 5545 allows it: no control characters but tab and line breaks (pasted text brings vertical tabs
 * and BELs, which strict parsers reject and ical-generator passes through).
 */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}

function clean(entry: FeedEntry): FeedEntry {
  return { ...entry, summary: plainText(entry.summary), description: plainText(entry.description), location: entry.location && plainText(entry.location) };
}

type Organizer = { name: string; email: string };

function organizerOf(settings: CommunitySettings): Organizer {
  return { name: plainText(settings.name), email: settings.contact };
}

/** Everything a calendar shows of an entry. Instant plus zone pins the wall time too. */
function entryHash(entry: FeedEntry, organizer: Organizer): string {
  return contentHash([
    entry.summary,
    entry.description,
    entry.location ?? null,
    entry.start.toMillis(),
    entry.end.toMillis(),
    entry.start.zoneName,
    entry.url ?? null,
    entry.status,
    organizer.name,
    organizer.email,
  ]);
}

const alarmParam = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a whole number of minutes')
  .transform(Number)
  .pipe(z.number().max(MAX_ALARM_MINUTES, `must be at most ${MAX_ALARM_MINUTES} (one week)`));

/** Validates `?alarm=` as typed in a subscription URL: minutes before start, 0..10080. */
export function parseAlarmParam(raw: string): { minutes: number } | { error: string } {
  const parsed = alarmParam.safeParse(raw);
  return parsed.success ? { minutes: parsed.data } : { error: `alarm ${parsed.error.issues[0]!.message}` };
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
function uidPart(text: string): string {
  return encodeURIComponent(text);
}

export function meetupUid(event: MeetupEvent, domain: string): string {
  return `${uidPart(event.id)}@${domain}`;
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
      uid: `${uidPart(event.id)}-talk-${index + 1}@${domain}`,
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
