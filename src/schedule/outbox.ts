import type { DateTime } from 'luxon';
import type { Db } from '../store/db';
import { deliveryRowKey, stamp, toRow, type Delivery, type Fence, type NewOutboxRow, type OutboxRow, type RawRow } from './outbox-row';
import { encodePayload, type OutboxPayload } from './payload';
import { sql, type RawBuilder } from 'kysely';
import { PLANNER_LEASE } from './lease';
import { keyPrefix, SINGLE_COMMUNITY, type CommunityId } from '../community/scope';

export * from './outbox-row';

/** The row's latest claim is this one: checked in the statement it guards. */
function held(key: string, fence: Fence): RawBuilder<unknown> {
  return sql`delivery_key = ${key} AND claim_token = ${fence.token}`;
}

const released = sql`claimed_by = NULL, claim_until = NULL`;

/** Rows per INSERT: well under both engines' limits on bound parameters. */
const INSERT_CHUNK = 500;

/** Consecutive slices of at most INSERT_CHUNK items (none for an empty list). */
function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += INSERT_CHUNK) yield items.slice(i, i + INSERT_CHUNK);
}

/**
 * One row per delivery (a message to one channel), keyed by its delivery key, written before the message is
 * sent. Every state change is a conditional UPDATE, and the ones a deliverer makes are fenced by the row's claim
 * token in the same statement, so a replica whose claim was taken over can never move the row.
 */
export class Outbox {
  /**
   * Without `community`: the whole outbox (the deliverer's, every community's rows), writing the single
   * community's rows. With it: reads about meetups, reports and pending posts see that community's rows only, and
   * rows written carry it (enqueued keys with its prefix).
   */
  constructor(
    private readonly db: Db,
    private readonly community?: CommunityId,
  ) {}

  private get owner(): CommunityId {
    return this.community ?? SINGLE_COMMUNITY;
  }

  private scoped(): RawBuilder<unknown> {
    return this.community === undefined ? sql`` : sql` AND community = ${this.community}`;
  }

  /**
   * Enqueues messages for the scheduler to deliver exactly once (by key and destination), like its own posts:
   * written now, sent on its next tick, looked up before any resend, retried until `worthUntil`, then reported
   * to the organizers. Returns the row keys added (a key already enqueued is left as it is).
   */
  enqueue(deliveries: Delivery[], now: DateTime): Promise<string[]> {
    return this.insert(
      deliveries.map((d) => ({
        deliveryKey: deliveryRowKey(keyPrefix(this.owner) + d.key, d.to),
        platform: d.to.platform,
        channel: d.to.channel,
        kind: 'message',
        eventId: d.eventId,
        dueAt: now,
        worthUntil: d.worthUntil,
        payload: { label: d.label, message: d.message },
        contentHash: '',
        status: 'pending',
      })),
      now,
    );
  }

  /** Adds rows that do not exist yet (by key); returns the keys actually added. */
  async insert(rows: NewOutboxRow[], now: DateTime, checkedGen?: number): Promise<string[]> {
    if (rows.length === 0) return [];
    // The rows of one fan-out share one payload object: encode it once.
    const encoded = new Map<OutboxPayload, string>();
    const values = rows.map((r) => {
      let json = encoded.get(r.payload);
      if (json === undefined) encoded.set(r.payload, (json = encodePayload(r.payload)));
      return {
        delivery_key: r.deliveryKey,
        community: this.owner,
        platform: r.platform,
        channel: r.channel,
        kind: r.kind,
        event_id: r.eventId ?? null,
        due_at: stamp(r.dueAt),
        worth_until: r.worthUntil ? stamp(r.worthUntil) : null,
        payload: json,
        content_hash: r.contentHash,
        status: r.status,
        last_error: r.lastError ?? null,
        checked_gen: checkedGen ?? null,
        created_at: stamp(now),
      };
    });
    const added = new Set<string>();
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(values)) {
        const inserted = await tx.q().insertInto('outbox').values(chunk).onConflict((oc) => oc.column('delivery_key').doNothing()).returning('delivery_key').execute();
        for (const r of inserted) added.add(r.delivery_key as string);
      }
    });
    return rows.map((r) => r.deliveryKey).filter((key) => added.has(key));
  }

  async get(key: string): Promise<OutboxRow | undefined> {
    const raw = await this.db.row(sql<RawRow>`SELECT * FROM outbox WHERE delivery_key = ${key}`);
    return raw && toRow(raw);
  }

  /** Which of these keys already have a row (in any state). */
  async existing(keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(keys)) {
      const rows = await this.db.rows(sql<{ delivery_key: string }>`SELECT delivery_key FROM outbox WHERE delivery_key IN (${sql.join(chunk)})`);
      for (const r of rows) found.add(r.delivery_key);
    }
    return found;
  }

  /** Not yet confirmed on the platform: what a new lease holder checks against the platforms before sending. */
  unconfirmed(): Promise<OutboxRow[]> {
    return this.select(sql`status IN ('pending', 'sending') ORDER BY due_at, delivery_key`);
  }

  /** Sent posts about a meetup: the ones to edit or follow up when it changes or is cancelled. */
  sentAbout(eventId: string): Promise<OutboxRow[]> {
    return this.select(sql`status = 'sent' AND event_id = ${eventId} AND kind IN ('rule', 'post', 'update', 'cancel')${this.scoped()} ORDER BY due_at, delivery_key`);
  }

  /**
   * The posts about these meetups (kinds rule, post, update, cancel) in any state, by meetup, in the order of
   * sentAbout: what the planner's follow-ups read, fetched for many meetups at once.
   */
  async followUpRows(eventIds: string[]): Promise<Map<string, OutboxRow[]>> {
    const out = new Map<string, OutboxRow[]>();
    for (const chunk of chunks(eventIds)) {
      const rows = await this.select(sql`event_id IN (${sql.join(chunk)}) AND kind IN ('rule', 'post', 'update', 'cancel')${this.scoped()} ORDER BY due_at, delivery_key`);
      for (const row of rows) {
        const list = out.get(row.eventId!);
        if (list) list.push(row);
        else out.set(row.eventId!, [row]);
      }
    }
    return out;
  }

  /** Pending posts about meetups: to drop the ones whose meetup is gone from the data. */
  pendingAboutEvents(): Promise<OutboxRow[]> {
    return this.select(sql`status = 'pending' AND event_id IS NOT NULL AND kind IN ('rule', 'post', 'update', 'cancel')${this.scoped()}`);
  }

  /** Failed or skipped rows the organizers have not been told about (reports about reports would never end). */
  unreported(): Promise<OutboxRow[]> {
    return this.select(sql`status IN ('failed', 'skipped') AND reported_at IS NULL AND kind != 'report'${this.scoped()} ORDER BY due_at, delivery_key`);
  }

  /**
   * pending → sending under this claim, just before the request leaves: the claim must still be this one (its
   * token), unexpired, and the row checked under the planner generation that is current now. False otherwise:
   * the row moved, or another replica owns it, and nothing may be sent.
   */
  async attempt(key: string, fence: Fence, now: DateTime): Promise<boolean> {
    const changed = await this.db.run(
      sql`UPDATE outbox SET status = 'sending', attempts = attempts + 1, attempted_at = ${stamp(now)}, claimed_gen = ${fence.generation}
          WHERE ${held(key, fence)} AND status = 'pending' AND claim_until > ${stamp(now)} AND checked_gen = ${fence.generation}
            AND EXISTS (SELECT 1 FROM leases WHERE name = ${PLANNER_LEASE} AND generation = ${fence.generation})`,
    );
    return changed === 1;
  }

  /** On the platform (answered, or found by a lookup): final, and the claim ends. Fenced by the claim's token. */
  async markSent(key: string, messageId: string, fence: Fence, now: DateTime): Promise<boolean> {
    const changed = await this.db.run(
      sql`UPDATE outbox SET status = 'sent', message_id = ${messageId}, sent_at = ${stamp(now)}, last_error = NULL, next_attempt_at = NULL, ${released}
          WHERE ${held(key, fence)} AND status IN ('pending', 'sending')`,
    );
    return changed === 1;
  }

  /** Checked absent from the platform under the claim's generation (a lookup found nothing, long enough): may be sent. */
  async markChecked(key: string, fence: Fence, nextAttemptAt?: DateTime): Promise<boolean> {
    const changed = await this.db.run(
      sql`UPDATE outbox SET status = 'pending', checked_gen = ${fence.generation}, next_attempt_at = ${nextAttemptAt ? stamp(nextAttemptAt) : null}
          WHERE ${held(key, fence)} AND status IN ('pending', 'sending')`,
    );
    return changed === 1;
  }

  /** sending → pending after a clear refusal (nothing was posted): tried again at `at`, by any replica. */
  async retryLater(key: string, error: string, at: DateTime, fence: Fence): Promise<void> {
    await this.db.run(
      sql`UPDATE outbox SET status = 'pending', last_error = ${error}, next_attempt_at = ${stamp(at)}, ${released} WHERE ${held(key, fence)} AND status = 'sending'`,
    );
  }

  /** An ambiguous answer: stays 'sending' (unknown) with the reason, looked up again from `lookAgainAt`. */
  async noteUnknown(key: string, error: string, fence: Fence, lookAgainAt: DateTime): Promise<void> {
    await this.db.run(
      sql`UPDATE outbox SET last_error = ${error}, claimed_by = NULL, claim_until = ${stamp(lookAgainAt)} WHERE ${held(key, fence)} AND status = 'sending'`,
    );
  }

  /** Ends a claim without an outcome; no replica claims the row again before `lookAgainAt` (if given). */
  async release(key: string, fence: Fence, lookAgainAt?: DateTime): Promise<void> {
    await this.db.run(sql`UPDATE outbox SET claimed_by = NULL, claim_until = ${lookAgainAt ? stamp(lookAgainAt) : null} WHERE ${held(key, fence)}`);
  }

  /** Gives up on a delivery: the organizers hear about it once. */
  async fail(key: string, error: string, fence: Fence): Promise<void> {
    await this.db.run(sql`UPDATE outbox SET status = 'failed', last_error = ${error}, ${released} WHERE ${held(key, fence)} AND status IN ('pending', 'sending')`);
  }

  async cancel(key: string, reason: string): Promise<void> {
    await this.db.run(sql`UPDATE outbox SET status = 'cancelled', last_error = ${reason} WHERE delivery_key = ${key} AND status = 'pending'`);
  }

  async markReported(keys: string[], now: DateTime): Promise<void> {
    for (const chunk of chunks(keys)) await this.db.run(sql`UPDATE outbox SET reported_at = ${stamp(now)} WHERE delivery_key IN (${sql.join(chunk)})`);
  }

  /** After an edit: the message now shows this content. */
  async updateContent(key: string, payload: OutboxPayload, contentHash: string): Promise<void> {
    await this.db.run(sql`UPDATE outbox SET payload = ${encodePayload(payload)}, content_hash = ${contentHash} WHERE delivery_key = ${key}`);
  }

  async setContentHash(keys: string[], contentHash: string): Promise<void> {
    for (const chunk of chunks(keys)) await this.db.run(sql`UPDATE outbox SET content_hash = ${contentHash} WHERE delivery_key IN (${sql.join(chunk)})`);
  }

  private async select(where: RawBuilder<unknown>): Promise<OutboxRow[]> {
    return (await this.db.rows(sql<RawRow>`SELECT * FROM outbox WHERE ${where}`)).map(toRow);
  }
}
