import type { DateTime } from 'luxon';
import type { Db } from '../store/db';
import { deliveryRowKey, stamp, toRow, type Delivery, type Fence, type NewOutboxRow, type OutboxRow, type RawRow } from './outbox-row';
import { encodePayload, type OutboxPayload } from './payload';
import { statementCache } from './sql';

export * from './outbox-row';

const FENCED = 'EXISTS (SELECT 1 FROM leases WHERE name = ? AND holder = ? AND generation = ?)';

/**
 * One row per delivery (a message to one channel), keyed by its delivery key, written before the message is
 * sent. Every state change is a conditional UPDATE, and the ones a sender makes are fenced by the lease
 * generation in the same statement, so a process that lost the lease can never move a row.
 */
export class Outbox {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Enqueues messages for the scheduler to deliver exactly once (by key and destination), like its own posts:
   * written now, sent on its next tick, looked up before any resend, retried until `worthUntil`, then reported
   * to the organizers. Returns the row keys added (a key already enqueued is left as it is).
   */
  enqueue(deliveries: Delivery[], now: DateTime): string[] {
    return this.insert(
      deliveries.map((d) => ({
        deliveryKey: deliveryRowKey(d.key, d.to),
        platform: d.to.platform,
        channel: d.to.channel,
        kind: 'message',
        eventId: d.eventId,
        dueAt: d.notBefore ?? now,
        worthUntil: d.worthUntil,
        payload: { label: d.label, message: d.message },
        contentHash: '',
        status: 'pending',
      })),
      now,
    );
  }

  /** Adds rows that do not exist yet (by key); returns the keys actually added. */
  insert(rows: NewOutboxRow[], now: DateTime, checkedGen?: number): string[] {
    const statement = this.sql(
      `INSERT OR IGNORE INTO outbox (delivery_key, platform, channel, kind, event_id, due_at, worth_until, payload, content_hash, status, last_error, checked_gen, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const added: string[] = [];
    // The rows of one fan-out share one payload object: encode it once.
    const encoded = new Map<OutboxPayload, string>();
    this.db.transaction(() => {
      for (const r of rows) {
        let json = encoded.get(r.payload);
        if (json === undefined) encoded.set(r.payload, (json = encodePayload(r.payload)));
        const worth = r.worthUntil ? stamp(r.worthUntil) : null;
        const info = statement.run(r.deliveryKey, r.platform, r.channel, r.kind, r.eventId ?? null, stamp(r.dueAt), worth, json, r.contentHash, r.status, r.lastError ?? null, checkedGen ?? null, stamp(now));
        if (info.changes > 0) added.push(r.deliveryKey);
      }
    })();
    return added;
  }

  get(key: string): OutboxRow | undefined {
    const raw = this.sql('SELECT * FROM outbox WHERE delivery_key = ?').get(key) as RawRow | undefined;
    return raw && toRow(raw);
  }

  /** Which of these keys already have a row (in any state). */
  existing(keys: string[]): Set<string> {
    const statement = this.sql('SELECT 1 FROM outbox WHERE delivery_key = ?').pluck();
    return new Set(keys.filter((key) => statement.get(key) !== undefined));
  }

  /** Rows the deliverer has to act on now: due and not retrying later, or with an unknown outcome. Oldest first. */
  actionable(now: DateTime): OutboxRow[] {
    return this.select(
      `(status = 'pending' AND due_at <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) OR status = 'sending' ORDER BY due_at, delivery_key`,
      stamp(now),
      stamp(now),
    );
  }

  /** Not yet confirmed on the platform: what a new lease holder checks against the platforms before sending. */
  unconfirmed(): OutboxRow[] {
    return this.select(`status IN ('pending', 'sending') ORDER BY due_at, delivery_key`);
  }

  /** Sent posts about a meetup: the ones to edit or follow up when it changes or is cancelled. */
  sentAbout(eventId: string): OutboxRow[] {
    return this.select(`status = 'sent' AND event_id = ? AND kind IN ('rule', 'post', 'update', 'cancel') ORDER BY due_at, delivery_key`, eventId);
  }

  /** Not yet sent posts about a meetup. */
  unsentAbout(eventId: string): OutboxRow[] {
    return this.select(`status IN ('pending', 'sending') AND event_id = ? AND kind IN ('rule', 'post', 'update', 'cancel')`, eventId);
  }

  /** Pending posts about meetups: to drop the ones whose meetup is gone from the data. */
  pendingAboutEvents(): OutboxRow[] {
    return this.select(`status = 'pending' AND event_id IS NOT NULL AND kind IN ('rule', 'post', 'update', 'cancel')`);
  }

  /** Failed or skipped rows the organizers have not been told about (reports about reports would never end). */
  unreported(): OutboxRow[] {
    return this.select(`status IN ('failed', 'skipped') AND reported_at IS NULL AND kind != 'report' ORDER BY due_at, delivery_key`);
  }

  /** pending → sending for the fence's holder, before the request leaves; false when the row or the lease moved. */
  claim(key: string, fence: Fence, now: DateTime): boolean {
    return (
      this.sql(
        `UPDATE outbox SET status = 'sending', attempts = attempts + 1, attempted_at = ?, claimed_gen = ?
         WHERE delivery_key = ? AND status = 'pending' AND checked_gen = ? AND ${FENCED}`,
      ).run(stamp(now), fence.generation, key, fence.generation, fence.lease, fence.holder, fence.generation).changes === 1
    );
  }

  /** On the platform (answered, or found by a lookup): final. Fenced in the same statement. */
  markSent(key: string, messageId: string, fence: Fence, now: DateTime): boolean {
    return (
      this.sql(
        `UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, next_attempt_at = NULL
         WHERE delivery_key = ? AND status IN ('pending', 'sending') AND ${FENCED}`,
      ).run(messageId, stamp(now), key, fence.lease, fence.holder, fence.generation).changes === 1
    );
  }

  /** Checked absent from the platform under this generation (a lookup found nothing, long enough): may be sent. */
  markChecked(key: string, fence: Fence, nextAttemptAt?: DateTime): boolean {
    return (
      this.sql(
        `UPDATE outbox SET status = 'pending', checked_gen = ?, next_attempt_at = ?
         WHERE delivery_key = ? AND status IN ('pending', 'sending') AND ${FENCED}`,
      ).run(fence.generation, nextAttemptAt ? stamp(nextAttemptAt) : null, key, fence.lease, fence.holder, fence.generation).changes === 1
    );
  }

  /** sending → pending after a clear refusal (nothing was posted): tried again at `at`. */
  retryLater(key: string, error: string, at: DateTime, fence: Fence): void {
    this.sql(`UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE delivery_key = ? AND status = 'sending' AND ${FENCED}`).run(
      error,
      stamp(at),
      key,
      fence.lease,
      fence.holder,
      fence.generation,
    );
  }

  /** An ambiguous answer: stays 'sending' (unknown) with the reason, to be looked up before anything else. */
  noteUnknown(key: string, error: string): void {
    this.sql(`UPDATE outbox SET last_error = ? WHERE delivery_key = ? AND status = 'sending'`).run(error, key);
  }

  /** Gives up on a delivery: the organizers hear about it once. */
  fail(key: string, error: string): void {
    this.sql(`UPDATE outbox SET status = 'failed', last_error = ? WHERE delivery_key = ? AND status IN ('pending', 'sending')`).run(error, key);
  }

  skip(key: string, reason: string): void {
    this.sql(`UPDATE outbox SET status = 'skipped', last_error = ? WHERE delivery_key = ? AND status = 'pending'`).run(reason, key);
  }

  cancel(key: string, reason: string): void {
    this.sql(`UPDATE outbox SET status = 'cancelled', last_error = ? WHERE delivery_key = ? AND status = 'pending'`).run(reason, key);
  }

  markReported(keys: string[], now: DateTime): void {
    const statement = this.sql('UPDATE outbox SET reported_at = ? WHERE delivery_key = ?');
    this.db.transaction(() => keys.forEach((key) => statement.run(stamp(now), key)))();
  }

  /** After an edit: the message now shows this content. */
  updateContent(key: string, payload: OutboxPayload, contentHash: string): void {
    this.sql('UPDATE outbox SET payload = ?, content_hash = ? WHERE delivery_key = ?').run(encodePayload(payload), contentHash, key);
  }

  setContentHash(keys: string[], contentHash: string): void {
    const statement = this.sql('UPDATE outbox SET content_hash = ? WHERE delivery_key = ?');
    this.db.transaction(() => keys.forEach((key) => statement.run(contentHash, key)))();
  }

  /** Runs several outbox changes atomically (e.g. add an update post and mark the old ones as covered). */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  private select(where: string, ...params: unknown[]): OutboxRow[] {
    return (this.sql(`SELECT * FROM outbox WHERE ${where}`).all(...params) as RawRow[]).map(toRow);
  }
}

