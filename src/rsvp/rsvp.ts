/** A member's answer to one meetup, and how it is read from the database. */
import type { Platform } from '../chat/adapter';
import type { DateTime } from 'luxon';
import { sql } from 'kysely';

export type RsvpStatus = 'going' | 'waitlist' | 'declined';

export interface Member {
  platform: Platform;
  userId: string;
  /** Chat display name at the time of the answer (organizers see it next to the real name). */
  name: string;
}

/** The seats of one meetup, as the event data says now. */
export interface EventSeats {
  id: string;
  end: DateTime;
  capacity?: number;
}

export interface Rsvp {
  eventId: string;
  platform: Platform;
  userId: string;
  displayName: string;
  status: RsvpStatus;
  /** Arrival order: the waitlist moves up in this order. */
  queueNo: number;
  answer?: string;
  realName?: string;
  /** Opted in to the day-before reminder. */
  reminders: boolean;
  /** Turned direct messages off (`/rsvp reminders off`): not even told about a promotion. */
  quiet: boolean;
  updatedAt: string;
}

export interface Counts {
  going: number;
  waitlist: number;
  declined: number;
}

export interface AnswerResult {
  status: RsvpStatus;
  previous?: RsvpStatus;
  /** 1 for the first on the waitlist. */
  position?: number;
  /** Members moved up from the waitlist by this change, first first. */
  promoted: Rsvp[];
  /** The last seat was just taken (true once until a seat frees again). */
  becameFull: boolean;
  counts: Counts;
}

export interface RawRsvp {
  event_id: string;
  platform: string;
  user_id: string;
  display_name: string;
  status: string;
  queue_no: number;
  answer: string | null;
  real_name: string | null;
  reminders: number | null;
  updated_at: string;
}

export const SELECT_RSVP = sql`SELECT r.*, m.real_name, m.reminders FROM rsvps r LEFT JOIN rsvp_members m ON m.platform = r.platform AND m.user_id = r.user_id`;

export function toRsvp(r: RawRsvp): Rsvp {
  return {
    eventId: r.event_id,
    platform: r.platform as Platform,
    userId: r.user_id,
    displayName: r.display_name,
    status: r.status as RsvpStatus,
    queueNo: r.queue_no,
    answer: r.answer ?? undefined,
    realName: r.real_name ?? undefined,
    reminders: r.reminders === 1,
    quiet: r.reminders === 0,
    updatedAt: r.updated_at,
  };
}
