import ical, { escape, ICalAlarmType, ICalCalendarMethod, ICalEvent, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { Duration, type DateTime } from 'luxon';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import { feedEntries, withoutControls, type FeedEntry } from './entries';
import { feedLinks, isPlainAddress, talksFeedLinks } from './links';
import { contentHash, type FeedSequences, type Revision } from './sequence';
import { foldLines } from './fold';

/** How often subscribed clients should poll (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const FEED_TTL = Duration.fromObject({ hours: 1 });
const PRODID = { company: 'sremuc-bot', product: 'feeds', language: 'EN' };
/** Longest reminder a subscriber may ask for with ?alarm=: one week. */
export const MAX_ALARM_MINUTES = 7 * 24 * 60;

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
  private readonly byEventId: Map<string, FeedEntry>;
  /**
   * The calendar events are rendered against. It has no zone name: with one, ical-generator writes DTSTAMP,
   * CREATED and LAST-MODIFIED as floating local times, which RFC 5545 forbids; DTSTART/DTEND carry TZID from
   * each event's own zone.
   */
  private readonly zoneless = ical();

  private constructor(
    private readonly settings: CommunitySettings,
    private readonly publicUrl: string,
    private readonly entries: ReturnType<typeof feedEntries>,
    private readonly revisions: Map<string, Revision>,
    private readonly organizer: Organizer | undefined,
  ) {
    this.byEventId = new Map(entries.eventIds.map((id, i) => [id, entries.meetups[i]!]));
  }

  /** Renders the entries and records their content (SEQUENCE, LAST-MODIFIED) in the store. */
  static async build({ catalogue, settings, sequences, publicUrl }: FeedSetInput): Promise<FeedSet> {
    const entries = feedEntries(catalogue, settings, publicUrl);
    const organizer = organizerOf(settings);
    const revisions = await sequences.record([...entries.meetups, ...entries.talks].map((e) => ({ uid: e.uid, hash: entryHash(e, organizer) })));
    return new FeedSet(settings, publicUrl, entries, revisions, organizer);
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
    return this.render(this.entries.meetups, options, {
      name: this.settings.name,
      description: `${this.settings.name} meetups (${this.settings.hashtag}). Subscribe: ${links.page}`,
      source: links.calendar,
    });
  }

  /** One VEVENT per talk, with speakers and abstract. */
  talksCalendar(options: FeedOptions = {}): string {
    return this.render(this.entries.talks, options, {
      name: `${this.settings.name} talks`,
      description: `Every talk at ${this.settings.name} meetups, with speakers and abstracts.`,
      source: talksFeedLinks(this.publicUrl).calendar,
    });
  }

  /** Events with talks or sessions: each has a feed of its own (`/talks.ics?event=<id>`). */
  talkEventIds(): string[] {
    return [...this.entries.talksByEvent.keys()];
  }

  /** When any talk or session of an event last changed in the feed. */
  eventTalksModified(id: string): DateTime | undefined {
    const times = (this.entries.talksByEvent.get(id) ?? []).map((e) => this.revisions.get(e.uid)!.modified);
    return times.reduce<DateTime | undefined>((latest, t) => (!latest || t > latest ? t : latest), undefined);
  }

  /** The talks or sessions of one event: a conference's programme in the calendar, one entry per session. */
  eventTalksCalendar(id: string, options: FeedOptions = {}): string | undefined {
    const entries = this.entries.talksByEvent.get(id);
    const meetup = this.byEventId.get(id);
    if (!entries || !meetup) return undefined;
    return this.render(entries, options, {
      name: `${this.settings.name}: ${meetup.summary} (programme)`,
      description: `The sessions of ${meetup.summary}, with rooms, speakers and abstracts.`,
      source: feedLinks(this.publicUrl).talks(id),
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
   * ical-generator renders the calendar's properties and every event; they are joined and folded here. Its own
   * calendar toString() folds character by character, so a community with a thousand meetups would wait
   * seconds for its feeds after every edit of a post; folding the joined text once (foldLines) keeps a reload
   * immediate.
   */
  private render(entries: readonly FeedEntry[], options: FeedOptions, meta: CalendarMeta): string {
    const links = feedLinks(this.publicUrl);
    // ical-generator 10 escapes event text but not the calendar's name and description: a line break in the
    // community name would start a property of its own.
    const frame = ical({
      name: escape(withoutControls(meta.name), false),
      description: escape(withoutControls(meta.description), false),
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

type Organizer = { name: string; email: string };

/**
 * ORGANIZER only for a contact that is a plain address: ical-generator throws on an empty one (every feed would
 * fail), and anything with spaces, quotes or line breaks would travel into the mailto: value.
 */
function organizerOf(settings: CommunitySettings): Organizer | undefined {
  if (!isPlainAddress(settings.contact)) return undefined;
  return { name: withoutControls(settings.name), email: settings.contact };
}

/** Everything a calendar shows of an entry. Instant plus zone pins the wall time too. */
function entryHash(entry: FeedEntry, organizer: Organizer | undefined): string {
  return contentHash([
    entry.summary,
    entry.description,
    entry.location ?? null,
    entry.start.toMillis(),
    entry.end.toMillis(),
    entry.start.zoneName,
    entry.url ?? null,
    entry.status,
    organizer?.name ?? null,
    organizer?.email ?? null,
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

