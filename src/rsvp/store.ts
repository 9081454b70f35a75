import type { DateTime } from 'luxon';
import type { Platform } from '../chat/adapter';
import type { Db } from '../store/db';
import { sql, type RawBuilder } from 'kysely';
import { stamp } from '../schedule/outbox';
import { SELECT_RSVP, toRsvp, type AnswerResult, type Counts, type EventSeats, type Member, type RawRsvp, type Rsvp, type RsvpStatus } from './rsvp';

/** Called inside the transaction that moved a member up: whatever it stores through `tx` commits with the promotion. */
export type OnPromoted = (r: Rsvp, tx: Db) => Promise<void> | void;

/**
 * RSVPs in the database. Every change that can take or free a seat runs in one transaction that holds the
 * meetup's seats first (SQLite: BEGIN IMMEDIATE takes the write lock before the seats are counted; PostgreSQL: an
 * advisory lock on the meetup), so concurrent presses (other connections, other processes) queue up and a meetup
 * never goes over capacity. Whoever is moved up from the waitlist is handed to `onPromoted` inside the same
 * transaction, so the message telling them is stored if and only if the promotion is. The work of a transaction
 * runs on a store built on its Db (`new RsvpStore(tx)`), so every query of it is inside.
 */
export class RsvpStore {
  constructor(private readonly db: Db) {}

  answer(event: EventSeats, member: Member, choice: 'going' | 'declined', answer: string | undefined, now: DateTime, onPromoted: OnPromoted): Promise<AnswerResult> {
    return this.db.transaction(
      (tx) => new RsvpStore(tx).record(event, member, choice, answer, now, onPromoted),
      { lock: seatsLock(event.id) },
    );
  }

  /** Moves the waitlist up into free seats (after a cancellation, or when the host added seats). */
  fill(event: EventSeats, now: DateTime, onPromoted: OnPromoted): Promise<{ promoted: Rsvp[]; becameFull: boolean }> {
    return this.db.transaction((tx) => new RsvpStore(tx).settle(event, now, onPromoted), { lock: seatsLock(event.id) });
  }

  /** Inside the transaction of `answer`: the member's answer, then the waitlist moved up. */
  private async record(event: EventSeats, member: Member, choice: 'going' | 'declined', answer: string | undefined, now: DateTime, onPromoted: OnPromoted): Promise<AnswerResult> {
    const before = await this.entry(event.id, member.platform, member.userId);
    let status: RsvpStatus;
    if (choice === 'going') status = before && before.status !== 'declined' ? before.status : (await this.seatFree(event)) ? 'going' : 'waitlist';
    else status = 'declined';
    // A member coming back after saying no joins the end of the line; changing one's answer keeps the place.
    const queueNo = before && before.status !== 'declined' && status !== 'declined' ? before.queueNo : await this.nextQueueNo(event.id);
    await this.db.run(
      sql`INSERT INTO rsvps (event_id, platform, user_id, display_name, status, queue_no, answer, event_end, created_at, updated_at)
          VALUES (${event.id}, ${member.platform}, ${member.userId}, ${member.name}, ${status}, ${queueNo}, ${answer ?? null}, ${stamp(event.end)}, ${stamp(now)}, ${stamp(now)})
          ON CONFLICT (event_id, platform, user_id) DO UPDATE SET display_name = excluded.display_name, status = excluded.status,
            queue_no = excluded.queue_no, answer = COALESCE(excluded.answer, rsvps.answer), event_end = excluded.event_end, updated_at = excluded.updated_at`,
    );
    const { promoted, becameFull } = await this.settle(event, now, onPromoted);
    const position = status === 'waitlist' ? await this.position(event.id, member.platform, member.userId) : undefined;
    return { status, previous: before?.status, position, promoted, becameFull, counts: await this.counts(event.id) };
  }

  async counts(eventId: string): Promise<Counts> {
    const rows = await this.db.rows(sql<{ status: RsvpStatus; n: number }>`SELECT status, CAST(COUNT(*) AS INTEGER) AS n FROM rsvps WHERE event_id = ${eventId} GROUP BY status`);
    const counts: Counts = { going: 0, waitlist: 0, declined: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async entry(eventId: string, platform: Platform, userId: string): Promise<Rsvp | undefined> {
    const raw = await this.db.row(sql<RawRsvp>`${SELECT_RSVP} WHERE r.event_id = ${eventId} AND r.platform = ${platform} AND r.user_id = ${userId}`);
    return raw && toRsvp(raw);
  }

  /** 1-based place on the waitlist. */
  async position(eventId: string, platform: Platform, userId: string): Promise<number | undefined> {
    const entry = await this.entry(eventId, platform, userId);
    if (entry?.status !== 'waitlist') return undefined;
    const ahead = await this.count(sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM rsvps WHERE event_id = ${eventId} AND status = 'waitlist' AND queue_no < ${entry.queueNo}`);
    return ahead + 1;
  }

  /** Everyone who answered, going first, then the waitlist in order, then those not going. */
  async guests(eventId: string): Promise<Rsvp[]> {
    const rows = await this.db.rows(sql<RawRsvp>`${SELECT_RSVP} WHERE r.event_id = ${eventId} ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END, r.queue_no`);
    return rows.map(toRsvp);
  }

  async ofMember(platform: Platform, userId: string): Promise<Rsvp[]> {
    return (await this.db.rows(sql<RawRsvp>`${SELECT_RSVP} WHERE r.platform = ${platform} AND r.user_id = ${userId} ORDER BY r.event_end`)).map(toRsvp);
  }

  async member(platform: Platform, userId: string): Promise<{ realName?: string; reminders: boolean } | undefined> {
    const raw = await this.db.row(sql<{ real_name: string | null; reminders: number | null }>`SELECT real_name, reminders FROM rsvp_members WHERE platform = ${platform} AND user_id = ${userId}`);
    return raw && { realName: raw.real_name ?? undefined, reminders: raw.reminders === 1 };
  }

  async setRealName(platform: Platform, userId: string, realName: string, now: DateTime): Promise<void> {
    await this.db.run(
      sql`INSERT INTO rsvp_members (platform, user_id, real_name, updated_at) VALUES (${platform}, ${userId}, ${realName}, ${stamp(now)})
          ON CONFLICT (platform, user_id) DO UPDATE SET real_name = excluded.real_name, updated_at = excluded.updated_at`,
    );
  }

  async setReminders(platform: Platform, userId: string, on: boolean, now: DateTime): Promise<void> {
    await this.db.run(
      sql`INSERT INTO rsvp_members (platform, user_id, reminders, updated_at) VALUES (${platform}, ${userId}, ${on ? 1 : 0}, ${stamp(now)})
          ON CONFLICT (platform, user_id) DO UPDATE SET reminders = excluded.reminders, updated_at = excluded.updated_at`,
    );
  }

  /** Deletes everything about one member: their answers and their profile. */
  forget(platform: Platform, userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const answers = await tx.run(sql`DELETE FROM rsvps WHERE platform = ${platform} AND user_id = ${userId}`);
      const profile = await tx.run(sql`DELETE FROM rsvp_members WHERE platform = ${platform} AND user_id = ${userId}`);
      return answers + profile;
    });
  }

  /**
   * Retention: answers of meetups that ended before `before`, and the profiles (real name, reminder choice) of
   * members who have no answers left and did not touch them since then.
   */
  purge(before: DateTime): Promise<{ answers: number; members: number }> {
    return this.db.transaction(async (tx) => {
      const cutoff = stamp(before);
      const answers = await tx.run(sql`DELETE FROM rsvps WHERE event_end < ${cutoff}`);
      await tx.run(sql`DELETE FROM rsvp_events WHERE event_end < ${cutoff}`);
      const members = await tx.run(
        sql`DELETE FROM rsvp_members WHERE updated_at < ${cutoff} AND NOT EXISTS (SELECT 1 FROM rsvps r WHERE r.platform = rsvp_members.platform AND r.user_id = rsvp_members.user_id)`,
      );
      return { answers, members };
    });
  }

  private async seatFree(event: EventSeats): Promise<boolean> {
    return event.capacity === undefined || (await this.goingCount(event.id)) < event.capacity;
  }

  private goingCount(eventId: string): Promise<number> {
    return this.count(sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM rsvps WHERE event_id = ${eventId} AND status = 'going'`);
  }

  private nextQueueNo(eventId: string): Promise<number> {
    return this.count(sql`SELECT CAST(COALESCE(MAX(queue_no), 0) + 1 AS INTEGER) AS n FROM rsvps WHERE event_id = ${eventId}`);
  }

  private async count(query: RawBuilder<unknown>): Promise<number> {
    const row = await this.db.row(query as RawBuilder<{ n: number | string }>);
    return Number(row?.n ?? 0);
  }

  /** Inside a transaction: free seats go to the waitlist in order; says whether the meetup just became full. */
  private async settle(event: EventSeats, now: DateTime, onPromoted: OnPromoted): Promise<{ promoted: Rsvp[]; becameFull: boolean }> {
    const promoted: Rsvp[] = [];
    if (event.capacity === undefined) {
      for (const r of await this.waitlist(event.id)) promoted.push(await this.promote(r, now, onPromoted));
    } else {
      const free = event.capacity - (await this.goingCount(event.id));
      if (free > 0) for (const r of await this.waitlist(event.id, free)) promoted.push(await this.promote(r, now, onPromoted));
    }
    return { promoted, becameFull: await this.noteFull(event, now) };
  }

  private async waitlist(eventId: string, limit?: number): Promise<Rsvp[]> {
    const query = sql<RawRsvp>`${SELECT_RSVP} WHERE r.event_id = ${eventId} AND r.status = 'waitlist' ORDER BY r.queue_no`;
    const rows = await this.db.rows(limit === undefined ? query : sql<RawRsvp>`${query} LIMIT ${limit}`);
    return rows.map(toRsvp);
  }

  private async promote(r: Rsvp, now: DateTime, onPromoted: OnPromoted): Promise<Rsvp> {
    await this.db.run(sql`UPDATE rsvps SET status = 'going', updated_at = ${stamp(now)} WHERE event_id = ${r.eventId} AND platform = ${r.platform} AND user_id = ${r.userId}`);
    const moved = { ...r, status: 'going' as const };
    await onPromoted(moved, this.db);
    return moved;
  }

  private async noteFull(event: EventSeats, now: DateTime): Promise<boolean> {
    await this.db.run(sql`INSERT INTO rsvp_events (event_id, event_end) VALUES (${event.id}, ${stamp(event.end)}) ON CONFLICT (event_id) DO NOTHING`);
    if (event.capacity === undefined || (await this.goingCount(event.id)) < event.capacity) {
      await this.db.run(sql`UPDATE rsvp_events SET full_noted_at = NULL WHERE event_id = ${event.id}`);
      return false;
    }
    return (await this.db.run(sql`UPDATE rsvp_events SET full_noted_at = ${stamp(now)} WHERE event_id = ${event.id} AND full_noted_at IS NULL`)) === 1;
  }
}

function seatsLock(eventId: string): string {
  return `rsvp:${eventId}`;
}
