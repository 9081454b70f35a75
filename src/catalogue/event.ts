import type { DateTime } from 'luxon';
import type { SafeUrl } from './safe-url';

/** A link with a human label, e.g. slides or a recording: only checked http(s)/mailto URLs (see safe-url.ts). */
export interface Link {
  label: string;
  url: SafeUrl;
}

export interface Speaker {
  name: string;
  company?: string;
  bio?: string;
}

export type TalkKind = 'talk' | 'lightning' | 'panel' | 'discussion';

export interface Talk {
  title: string;
  speakers: Speaker[];
  kind: TalkKind;
  abstract?: string;
  slides: Link[];
  /** When the talk starts, if the agenda says. */
  start?: DateTime;
}

export interface AgendaItem {
  /** Absent for untimed lines between timed ones ("* Talk 1: Own your genAI workloads"). */
  start?: DateTime;
  title: string;
  /** Index into MeetupEvent.talks when this agenda line is a talk. */
  talkIndex?: number;
}

export type EventStatus = 'scheduled' | 'cancelled';

/** What the host needs from members who RSVP in chat (`rsvp:` in the event's front matter or YAML). */
export interface EventRsvp {
  /** Seats; members beyond it join the waitlist. Absent: no limit. */
  capacity?: number;
  /** The host must register guests by their real name (asked once in a form, remembered per member). */
  realName: boolean;
  /** No new RSVPs after this (changes and cancellations stay possible until the meetup starts). */
  deadline?: DateTime;
  /** Asked in the RSVP form, e.g. dietary needs; answers are for organizers only. */
  question?: string;
}

/**
 * One slot of a multi-day, multi-room programme (a conference day, a workshop, a break). Imported schedules
 * (pretalx, frab, Sessionize, Sched, ICS) and YAML `sessions:` fill these; an evening meetup has none and keeps
 * its `agenda`/`talks`. Times are in the event's own zone (`MeetupEvent.timeZone`, else the community's).
 */
export interface Session {
  /** Stable within its event across reloads (the source's UID/guid/id, or derived from time and title): feed UIDs use it. */
  id: string;
  title: string;
  start: DateTime;
  end: DateTime;
  /** Room or stage as the schedule names it ("Lansdowne+Pembroke"). */
  room?: string;
  /** Track or category ("Plenary", "Workshops"). */
  track?: string;
  /** talk, workshop, break, ... as the source says; absent when it does not. */
  kind?: string;
  speakers: Speaker[];
  abstract?: string;
  /** Session page, slides, recording: http(s) only (checked by the source). */
  links: Link[];
  /** A session the schedule marks cancelled stays listed as cancelled. */
  cancelled?: boolean;
}

/** Where a value in an event came from, so diagnostics and tests can say which source won. */
export type DateSource = 'front-matter' | 'prose' | 'yaml' | 'import';

/**
 * One meetup, whatever file it came from. Times are luxon DateTimes in the community's zone
 * (Europe/Berlin unless configured): the wall time organizers meant, never a raw UTC offset from the file.
 */
export interface MeetupEvent {
  /** Stable id: the file name without extension (e.g. "sre-munich-summer-event-2024"). Used in UIDs and URLs. */
  id: string;
  title: string;
  /** First paragraph of the announcement prose, plain text. */
  summary?: string;
  start: DateTime;
  end: DateTime;
  /** How the meetup date was found: explicit fields win over prose, prose over the post date. */
  dateSource: DateSource;
  venue?: string;
  address?: string;
  /** Link to the online meeting, for online events. */
  online?: string;
  agenda: AgendaItem[];
  talks: Talk[];
  /** The call for talks text from `## Participation` (or `cfp` in YAML). */
  cfp?: string;
  slides: Link[];
  recordings: Link[];
  /** Page on the community website, when settings give a base URL. */
  url?: SafeUrl;
  status: EventStatus;
  /**
   * True when the source gives no meetup date and `start`/`end` only hold a placeholder (e.g. the post's
   * publication date): chat and the page say "date to be confirmed", and nothing is announced, reminded or
   * synced to Discord Scheduled Events until an organizer writes the date.
   */
  dateToBeConfirmed?: boolean;
  /** Present when members can RSVP in chat. */
  rsvp?: EventRsvp;
  /**
   * The event's own IANA zone when it is not the community's (SREcon EMEA: Europe/Dublin, where "IST" is Irish
   * Standard Time). `start`, `end` and sessions are DateTimes in this zone; chat still shows every reader's own zone.
   */
  timeZone?: string;
  /** The programme of a multi-day or multi-room event, sorted by start then room. Absent for an evening meetup. */
  sessions?: Session[];
  /**
   * False: the announcement rules never post about this event (an imported calendar whose source did not opt in
   * with `announce: true`). Absent means true, as for the community's own posts.
   */
  announce?: boolean;
  /**
   * The channels its announcements go to instead of the community's announce channels: an imported source's own
   * `channels:` in sources.yml (a partner group's Slack channel). Absent: the community's, as for posts.
   */
  channels?: { platform: 'slack' | 'discord' | 'console'; channel: string }[];
  /**
   * Where it came from: path relative to the data dir (or `sources.yml#<source name>` for an import), the post's
   * publication date if any, and for imports the source's own UID, so edits and cancellations follow the same event.
   */
  source: { file: string; publishedAt?: DateTime; uid?: string; url?: string };
}
