import type { DateTime } from 'luxon';
import type { Platform } from '../chat/adapter';
import type { Db } from '../store/db';
import { statementCache } from '../schedule/sql';
import { stamp } from '../schedule/outbox';

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

interface RawRsvp {
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

const SELECT_RSVP = `SELECT r.*, m.real_name, m.reminders FROM rsvps r LEFT JOIN rsvp_members m ON m.platform = r.platform AND m.user_id = r.user_id`;

/**
 * RSVPs in SQLite. Every change that can take or free a seat runs in one IMMEDIATE transaction: the write lock
 * is taken before the seats are counted, so concurrent presses (other connections, other processes) queue up
 * and a meetup never goes over capacity. Whoever is moved up from the waitlist is handed to `onPromoted`
 * inside the same transaction, so the message telling them is stored if and only if the promotion is.
 */
export class RsvpStore {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  answer(event: EventSeats, member: Member, choice: 'going' | 'declined', answer: string | undefined, now: DateTime, onPromoted: (r: Rsvp) => void): AnswerResult {
    return this.db
      .transaction((): AnswerResult => {
        const before = this.entry(event.id, member.platform, member.userId);
        let status: RsvpStatus;
        if (choice === 'going') status = before && before.status !== 'declined' ? before.status : this.seatFree(event) ? 'going' : 'waitlist';
        else status = 'declined';
        // A member coming back after saying no joins the end of the line; changing one's answer keeps the place.
        const queueNo = before && before.status !== 'declined' && status !== 'declined' ? before.queueNo : this.nextQueueNo(event.id);
        this.sql(
          `INSERT INTO rsvps (event_id, platform, user_id, display_name, status, queue_no, answer, event_end, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (event_id, platform, user_id) DO UPDATE SET display_name = excluded.display_name, status = excluded.status,
             queue_no = excluded.queue_no, answer = COALESCE(excluded.answer, rsvps.answer), event_end = excluded.event_end, updated_at = excluded.updated_at`,
        ).run(event.id, member.platform, member.userId, member.name, status, queueNo, answer ?? null, stamp(event.end), stamp(now), stamp(now));
        const { promoted, becameFull } = this.settle(event, now, onPromoted);
        const position = status === 'waitlist' ? this.position(event.id, member.platform, member.userId) : undefined;
        return { status, previous: before?.status, position, promoted, becameFull, counts: this.counts(event.id) };
      })
      .immediate();
  }

  /** Moves the waitlist up into free seats (after a cancellation, or when the host added seats). */
  fill(event: EventSeats, now: DateTime, onPromoted: (r: Rsvp) => void): { promoted: Rsvp[]; becameFull: boolean } {
    return this.db.transaction(() => this.settle(event, now, onPromoted)).immediate();
  }

  counts(eventId: string): Counts {
    const rows = this.sql(`SELECT status, COUNT(*) AS n FROM rsvps WHERE event_id = ? GROUP BY status`).all(eventId) as { status: RsvpStatus; n: number }[];
    const counts: Counts = { going: 0, waitlist: 0, declined: 0 };
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  entry(eventId: string, platform: Platform, userId: string): Rsvp | undefined {
    const raw = this.sql(`${SELECT_RSVP} WHERE r.event_id = ? AND r.platform = ? AND r.user_id = ?`).get(eventId, platform, userId) as RawRsvp | undefined;
    return raw && toRsvp(raw);
  }

  /** 1-based place on the waitlist. */
  position(eventId: string, platform: Platform, userId: string): number | undefined {
    const entry = this.entry(eventId, platform, userId);
    if (entry?.status !== 'waitlist') return undefined;
    const ahead = this.sql(`SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'waitlist' AND queue_no < ?`).pluck().get(eventId, entry.queueNo) as number;
    return ahead + 1;
  }

  /** Everyone who answered, going first, then the waitlist in order, then those not going. */
  guests(eventId: string): Rsvp[] {
    const rows = this.sql(`${SELECT_RSVP} WHERE r.event_id = ? ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END, r.queue_no`).all(eventId) as RawRsvp[];
    return rows.map(toRsvp);
  }

  ofMember(platform: Platform, userId: string): Rsvp[] {
    return (this.sql(`${SELECT_RSVP} WHERE r.platform = ? AND r.user_id = ? ORDER BY r.event_end`).all(platform, userId) as RawRsvp[]).map(toRsvp);
  }

  member(platform: Platform, userId: string): { realName?: string; reminders: boolean } | undefined {
    const raw = this.sql(`SELECT real_name, reminders FROM rsvp_members WHERE platform = ? AND user_id = ?`).get(platform, userId) as { real_name: string | null; reminders: number | null } | undefined;
    return raw && { realName: raw.real_name ?? undefined, reminders: raw.reminders === 1 };
  }

  setRealName(platform: Platform, userId: string, realName: string, now: DateTime): void {
    this.sql(
      `INSERT INTO rsvp_members (platform, user_id, real_name, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET real_name = excluded.real_name, updated_at = excluded.updated_at`,
    ).run(platform, userId, realName, stamp(now));
  }

  setReminders(platform: Platform, userId: string, on: boolean, now: DateTime): void {
    this.sql(
      `INSERT INTO rsvp_members (platform, user_id, reminders, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET reminders = excluded.reminders, updated_at = excluded.updated_at`,
    ).run(platform, userId, on ? 1 : 0, stamp(now));
  }

  /** Meetups with someone going or waiting, ending after `after`. */
  activeEvents(after: DateTime): string[] {
    return this.sql(`SELECT DISTINCT event_id FROM rsvps WHERE status != 'declined' AND event_end > ?`).pluck().all(stamp(after)) as string[];
  }

  /** Deletes everything about one member: their answers and their profile. */
  forget(platform: Platform, userId: string): number {
    return this.db.transaction(() => {
      const answers = this.sql(`DELETE FROM rsvps WHERE platform = ? AND user_id = ?`).run(platform, userId).changes;
      const profile = this.sql(`DELETE FROM rsvp_members WHERE platform = ? AND user_id = ?`).run(platform, userId).changes;
      return answers + profile;
    })();
  }

  /**
   * Retention: answers of meetups that ended before `before`, and the profiles (real name, reminder choice) of
   * members who have no answers left and did not touch them since then.
   */
  purge(before: DateTime): { answers: number; members: number } {
    return this.db.transaction(() => {
      const cutoff = stamp(before);
      const answers = this.sql(`DELETE FROM rsvps WHERE event_end < ?`).run(cutoff).changes;
      this.sql(`DELETE FROM rsvp_events WHERE event_end < ?`).run(cutoff);
      const members = this.sql(
        `DELETE FROM rsvp_members WHERE updated_at < ? AND NOT EXISTS (SELECT 1 FROM rsvps r WHERE r.platform = rsvp_members.platform AND r.user_id = rsvp_members.user_id)`,
      ).run(cutoff).changes;
      return { answers, members };
    })();
  }

  private seatFree(event: EventSeats): boolean {
    return event.capacity === undefined || this.goingCount(event.id) < event.capacity;
  }

  private goingCount(eventId: string): number {
    return this.sql(`SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'going'`).pluck().get(eventId) as number;
  }

  private nextQueueNo(eventId: string): number {
    return (this.sql(`SELECT COALESCE(MAX(queue_no), 0) + 1 FROM rsvps WHERE event_id = ?`).pluck().get(eventId) as number) ?? 1;
  }

  /** Inside a transaction: free seats go to the waitlist in order; says whether the meetup just became full. */
  private settle(event: EventSeats, now: DateTime, onPromoted: (r: Rsvp) => void): { promoted: Rsvp[]; becameFull: boolean } {
    const promoted: Rsvp[] = [];
    if (event.capacity === undefined) {
      for (const r of this.waitlist(event.id, -1)) promoted.push(this.promote(r, now, onPromoted));
    } else {
      const free = event.capacity - this.goingCount(event.id);
      if (free > 0) for (const r of this.waitlist(event.id, free)) promoted.push(this.promote(r, now, onPromoted));
    }
    return { promoted, becameFull: this.noteFull(event, now) };
  }

  private waitlist(eventId: string, limit: number): Rsvp[] {
    return (this.sql(`${SELECT_RSVP} WHERE r.event_id = ? AND r.status = 'waitlist' ORDER BY r.queue_no LIMIT ?`).all(eventId, limit) as RawRsvp[]).map(toRsvp);
  }

  private promote(r: Rsvp, now: DateTime, onPromoted: (r: Rsvp) => void): Rsvp {
    this.sql(`UPDATE rsvps SET status = 'going', updated_at = ? WHERE event_id = ? AND platform = ? AND user_id = ?`).run(stamp(now), r.eventId, r.platform, r.userId);
    const moved = { ...r, status: 'going' as const };
    onPromoted(moved);
    return moved;
  }

  private noteFull(event: EventSeats, now: DateTime): boolean {
    this.sql(`INSERT OR IGNORE INTO rsvp_events (event_id, event_end) VALUES (?, ?)`).run(event.id, stamp(event.end));
    if (event.capacity === undefined || this.goingCount(event.id) < event.capacity) {
      this.sql(`UPDATE rsvp_events SET full_noted_at = NULL WHERE event_id = ?`).run(event.id);
      return false;
    }
    return this.sql(`UPDATE rsvp_events SET full_noted_at = ? WHERE event_id = ? AND full_noted_at IS NULL`).run(stamp(now), event.id).changes === 1;
  }
}

function toRsvp(r: RawRsvp): Rsvp {
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
