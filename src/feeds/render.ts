import ical, { escape, ICalAlarmType, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { DateTime } from 'luxon';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/catalogue';
import type { Link, MeetupEvent, Speaker, Talk } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { feedLinks, talksFeedLinks } from './links';
import { contentHash, type FeedSequences, type Revision } from './sequence';

/** How often subscribed clients should poll: one hour (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const FEED_TTL_SECONDS = 3600;
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

/**
 * Every feed for one catalogue: built once per reload (which is also when SEQUENCE numbers are recorded), then
 * rendered to ICS text as often as needed, e.g. once plain and once per ?alarm= variant.
 */
export class FeedSet {
  readonly meetups: readonly FeedEntry[];
  readonly talks: readonly FeedEntry[];
  private readonly byEventId: Map<string, FeedEntry>;
  private readonly revisions: Map<string, Revision>;

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
    const organizer = organizerOf(settings);
    this.revisions = sequences.record([...meetups, ...talks].map((e) => ({ uid: e.uid, hash: entryHash(e, organizer) })));
  }

  static build({ catalogue, settings, sequences, publicUrl }: FeedSetInput): FeedSet {
    const domain = uidDomain(settings, publicUrl);
    const events = catalogue.events;
    const meetups = events.map((e) => meetupEntry(e, settings, domain));
    const talks = events.flatMap((e) => talkEntries(e, settings, domain));
    return new FeedSet(settings, publicUrl, meetups, talks, events.map((e) => e.id), sequences);
  }

  eventIds(): string[] {
    return [...this.byEventId.keys()];
  }

  revision(uid: string): Revision | undefined {
    return this.revisions.get(uid);
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

  private render(entries: readonly FeedEntry[], options: FeedOptions, meta: { name: string; description: string; source: string }): string {
    const zone = this.settings.timeZone;
    const cal = ical({
      prodId: { company: 'sremuc-bot', product: 'feeds', language: 'EN' },
      method: ICalCalendarMethod.PUBLISH,
      // The library writes NAME/X-WR-CALNAME/X-WR-CALDESC verbatim: escape here so a name cannot add properties.
      name: escape(meta.name, false),
      description: escape(meta.description, false),
      source: meta.source,
      url: feedLinks(this.publicUrl).page,
      ttl: FEED_TTL_SECONDS,
      // No calendar-level zone name on purpose: with one set, ical-generator writes DTSTAMP, CREATED and
      // LAST-MODIFIED as floating local times, which RFC 5545 forbids. Events carry TZID; the generator still
      // emits their VTIMEZONE.
      timezone: { name: null, generator: getVtimezoneComponent },
    });
    cal.x('X-WR-TIMEZONE', zone);
    const organizer = organizerOf(this.settings);
    for (const entry of entries) this.addEvent(cal, entry, zone, organizer, options);
    return cal.toString();
  }

  private addEvent(cal: ICalCalendar, entry: FeedEntry, zone: string, organizer: Organizer, options: FeedOptions): void {
    const revision = this.revisions.get(entry.uid)!;
    const event = cal.createEvent({
      id: entry.uid,
      sequence: revision.sequence,
      stamp: revision.modified,
      created: revision.created,
      lastModified: revision.modified,
      start: entry.start,
      end: entry.end,
      timezone: zone,
      summary: entry.summary,
      description: entry.description,
      location: entry.location ?? null,
      url: entry.url ?? null,
      organizer,
      status: entry.status,
    });
    if (options.alarmMinutes !== undefined && entry.status !== ICalEventStatus.CANCELLED) {
      event.createAlarm({ type: ICalAlarmType.display, trigger: options.alarmMinutes * 60, description: entry.summary });
    }
  }
}

type Organizer = { name: string; email: string };

function organizerOf(settings: CommunitySettings): Organizer {
  return { name: settings.name, email: settings.contact };
}

function entryHash(entry: FeedEntry, organizer: Organizer): string {
  return contentHash({
    summary: entry.summary,
    description: entry.description,
    location: entry.location ?? null,
    start: entry.start.toISO(),
    end: entry.end.toISO(),
    zone: entry.start.zoneName,
    url: entry.url ?? null,
    status: entry.status,
    organizer,
  });
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
    start: event.start.setZone(settings.timeZone),
    end: event.end.setZone(settings.timeZone),
    url: event.url,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
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
  if (event.agenda.length > 0) blocks.push(agendaText(event, settings.timeZone));
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

function talkEntries(event: MeetupEvent, settings: CommunitySettings, domain: string): FeedEntry[] {
  const slugs = uniqueSlugs(event.talks.map((t) => slug(t.title)));
  const cancelled = event.status === 'cancelled';
  return event.talks.map((talk, index) => {
    const { start, end } = talkWindow(event, index);
    const title = `${talk.title}${talk.speakers.length ? ` (${speakerNames(talk.speakers)})` : ''}`;
    return {
      uid: `${uidPart(event.id)}-talk-${slugs[index]}@${domain}`,
      summary: cancelled ? `CANCELLED: ${title}` : title,
      description: talkDescription(event, talk, settings),
      location: locationOf(event),
      start: start.setZone(settings.timeZone),
      end: end.setZone(settings.timeZone),
      url: event.url,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    };
  });
}

function talkDescription(event: MeetupEvent, talk: Talk, settings: CommunitySettings): string {
  const blocks: string[] = [];
  if (event.status === 'cancelled') blocks.push('This meetup has been cancelled.');
  const when = event.start.setZone(settings.timeZone).setLocale('en-GB').toFormat('d LLLL yyyy');
  blocks.push(`${KIND_LABEL[talk.kind]} at ${event.title}, ${when}`);
  if (talk.speakers.length > 0) blocks.push(`Speakers: ${speakerNames(talk.speakers)}`);
  if (talk.abstract) blocks.push(talk.abstract);
  for (const s of talk.speakers) if (s.bio) blocks.push(`About ${s.name}: ${s.bio}`);
  if (talk.slides.length > 0) blocks.push(linkList('Slides:', talk.slides));
  if (event.url) blocks.push(`Meetup: ${event.url}`);
  return blocks.join('\n\n');
}

/**
 * When a talk happens: its own start (or its agenda line's), until the next timed agenda line or the meetup's
 * end. Without any time for the talk, the meetup's whole window: better vague than wrong.
 */
export function talkWindow(event: MeetupEvent, index: number): { start: DateTime; end: DateTime } {
  const talk = event.talks[index]!;
  const start = talk.start ?? event.agenda.find((a) => a.talkIndex === index)?.start;
  if (!start) return { start: event.start, end: event.end };
  const next = event.agenda
    .map((a) => a.start)
    .filter((t): t is DateTime => t !== undefined && t > start)
    .sort((a, b) => a.toMillis() - b.toMillis())[0];
  const end = next ?? (event.end > start ? event.end : undefined);
  return { start, end: end ?? start.plus({ minutes: DEFAULT_TALK_MINUTES[talk.kind] }) };
}

/** A title as a UID part that survives reordering: "Lessons learned from 15 years DevOps" -> lessons-learned-from-15-years-devops. */
export function slug(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii.slice(0, 60).replace(/-+$/, '') || 'talk';
}

/** Two talks with the same title in one meetup ("Lightning talk") get -2, -3 in order of appearance. */
function uniqueSlugs(slugs: string[]): string[] {
  const seen = new Map<string, number>();
  return slugs.map((s) => {
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    return n === 1 ? s : `${s}-${n}`;
  });
}
