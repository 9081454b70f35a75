import type { DateTime } from 'luxon';

/** A link with a human label, e.g. slides or a recording. */
export interface Link {
  label: string;
  url: string;
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

/** Where a value in an event came from, so diagnostics and tests can say which source won. */
export type DateSource = 'front-matter' | 'prose' | 'yaml';

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
  url?: string;
  status: EventStatus;
  /**
   * True when the source gives no meetup date and `start`/`end` only hold a placeholder (e.g. the post's
   * publication date): chat and the page say "date to be confirmed", and nothing is announced, reminded or
   * synced to Discord Scheduled Events until an organizer writes the date.
   */
  dateToBeConfirmed?: boolean;
  /** Present when members can RSVP in chat. */
  rsvp?: EventRsvp;
  /** Where it came from: path relative to the data dir, and the post's publication date if any. */
  source: { file: string; publishedAt?: DateTime };
}
