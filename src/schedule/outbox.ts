import { DateTime } from 'luxon';
import type { Destination, Platform } from '../chat/adapter';
import type { MessageModel } from '../chat/message';
import type { Db } from '../store/db';
import { decodePayload, encodePayload, type OutboxPayload } from './payload';
import { statementCache } from './sql';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'cancelled';
/**
 * rule: automatic post; post: organizer's /announce; update / cancel: follow-ups to earlier posts; message:
 * anything enqueued through `Outbox.enqueue` (DMs, organizer notices, ...).
 */
export type OutboxKind = 'rule' | 'post' | 'update' | 'cancel' | 'message';

export interface OutboxRow {
  deliveryKey: string;
  platform: Platform;
  channel: string;
  kind: OutboxKind;
  eventId?: string;
  dueAt: DateTime;
  /** After this the post is no longer worth making: it is reported instead of tried again. */
  worthUntil?: DateTime;
  payload: OutboxPayload;
  contentHash: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt?: DateTime;
  messageId?: string;
  lastError?: string;
  reportedAt?: DateTime;
  createdAt: DateTime;
  sentAt?: DateTime;
}

export type NewOutboxRow = Pick<OutboxRow, 'deliveryKey' | 'platform' | 'channel' | 'kind' | 'eventId' | 'dueAt' | 'worthUntil' | 'payload' | 'contentHash'> & {
  status: 'pending' | 'skipped';
  lastError?: string;
};

/** "Deliver this message to this destination exactly once by this key, worth making until T." */
export interface Delivery {
  /** Names the message, e.g. `rsvp-confirm:<event>:<user>`; the same key and destination are delivered once, ever. */
  key: string;
  to: Destination;
  message: MessageModel;
  /** What the organizers read if it cannot be delivered: "RSVP confirmation for Ana". */
  label: string;
  /** Tried (through outages, with capped backoff) until then; after that it is reported, not posted late. */
  worthUntil: DateTime;
  /** Not sent before this (default: at once). */
  notBefore?: DateTime;
  eventId?: string;
}

/** The stored key of a Delivery: one row per destination. */
export const deliveryRowKey = (key: string, to: Destination): string => `${key}:${to.platform}:${to.channel}`;

interface RawRow {
  delivery_key: string;
  platform: string;
  channel: string;
  kind: string;
  event_id: string | null;
  due_at: string;
  worth_until: string | null;
  payload: string;
  content_hash: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  message_id: string | null;
  last_error: string | null;
  reported_at: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Instants are stored as UTC ISO strings of one fixed shape, so SQL compares and sorts them as text. */
export const stamp = (t: DateTime): string => t.toUTC().toISO()!;
const instant = (s: string | null): DateTime | undefined => (s === null ? undefined : DateTime.fromISO(s, { zone: 'utc' }));

/**
 * One row per delivery (a message to one channel), keyed by its delivery key. The row exists before the message
 * is sent and says 'sending' while it is in flight: after a crash, 'sending' rows are exactly the deliveries whose
 * outcome is unknown. Every state change is a conditional UPDATE, so two processes can never both move a row.
 */
export class Outbox {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Enqueues messages for the scheduler to deliver exactly once (by key and destination), like its own posts:
   * written now, sent on its next tick, retried until `worthUntil`, then reported to the organizers. Returns the
   * row keys added (a key already enqueued is left as it is).
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
  insert(rows: NewOutboxRow[], now: DateTime): string[] {
    const statement = this.sql(
      `INSERT OR IGNORE INTO outbox (delivery_key, platform, channel, kind, event_id, due_at, worth_until, payload, content_hash, status, last_error, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const added: string[] = [];
    // The rows of one fan-out share one payload object: encode it once.
    const encoded = new Map<OutboxPayload, string>();
    const encode = (payload: OutboxPayload) => {
      let json = encoded.get(payload);
      if (json === undefined) encoded.set(payload, (json = encodePayload(payload)));
      return json;
    };
    this.db.transaction(() => {
      for (const r of rows) {
        const info = statement.run(r.deliveryKey, r.platform, r.channel, r.kind, r.eventId ?? null, stamp(r.dueAt), r.worthUntil ? stamp(r.worthUntil) : null, encode(r.payload), r.contentHash, r.status, r.lastError ?? null, stamp(now));
        if (info.changes > 0) added.push(r.deliveryKey);
      }
    })();
    return added;
  }

  get(key: string): OutboxRow | undefined {
    const raw = this.sql('SELECT * FROM outbox WHERE delivery_key = ?').get(key) as RawRow | undefined;
    return raw && toRow(raw, new Map());
  }

  /** Which of these keys already have a row (in any state). */
  existing(keys: string[]): Set<string> {
    const found = new Set<string>();
    const statement = this.sql('SELECT 1 FROM outbox WHERE delivery_key = ?').pluck();
    for (const key of keys) if (statement.get(key) !== undefined) found.add(key);
    return found;
  }

  /** Deliveries waiting to be sent now, oldest due first. */
  ready(now: DateTime): OutboxRow[] {
    return this.select(`status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY due_at, delivery_key`, stamp(now));
  }

  /** Deliveries whose outcome is unknown: the process stopped between marking them and hearing back. */
  inFlight(): OutboxRow[] {
    return this.select(`status = 'sending' ORDER BY due_at, delivery_key`);
  }

  /** Sent posts about a meetup: the ones to edit or follow up when it changes or is cancelled. */
  sentAbout(eventId: string): OutboxRow[] {
    return this.select(`status = 'sent' AND event_id = ? ORDER BY due_at, delivery_key`, eventId);
  }

  /** Not yet sent posts about a meetup. */
  unsentAbout(eventId: string): OutboxRow[] {
    return this.select(`status IN ('pending', 'sending') AND event_id = ?`, eventId);
  }

  /** Pending posts about meetups: to drop the ones whose meetup is gone from the data. */
  pendingAboutEvents(): OutboxRow[] {
    return this.select(`status = 'pending' AND event_id IS NOT NULL AND kind IN ('rule', 'post', 'update', 'cancel')`);
  }

  unreported(): OutboxRow[] {
    return this.select(`status IN ('failed', 'skipped') AND reported_at IS NULL ORDER BY due_at, delivery_key`);
  }

  /** pending → sending; false when someone else moved it first. Counts the attempt. */
  claim(key: string): boolean {
    return this.sql(`UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE delivery_key = ? AND status = 'pending'`).run(key).changes === 1;
  }

  markSent(key: string, messageId: string, now: DateTime): void {
    this.db
      .prepare(`UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, next_attempt_at = NULL WHERE delivery_key = ? AND status = 'sending'`)
      .run(messageId, stamp(now), key);
  }

  /** sending → pending, to try again at `at` (or at once when absent). */
  retryLater(key: string, error: string | undefined, at: DateTime | undefined): void {
    this.db
      .prepare(`UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ? WHERE delivery_key = ? AND status = 'sending'`)
      .run(error ?? null, at ? stamp(at) : null, key);
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
    // A fan-out stores the same payload on every row: decode it once per query, not once per channel.
    const decoded = new Map<string, OutboxPayload>();
    return (this.sql(`SELECT * FROM outbox WHERE ${where}`).all(...params) as RawRow[]).map((raw) => toRow(raw, decoded));
  }
}

/**
 * Payload and bookkeeping times are decoded only when read: the scheduler's minute-by-minute queries look at
 * keys, states and hashes, and decoding revives every date in a message.
 */
function toRow(r: RawRow, decoded: Map<string, OutboxPayload>): OutboxRow {
  let payload: OutboxPayload | undefined;
  const decode = () => {
    let shared = decoded.get(r.payload);
    if (!shared) decoded.set(r.payload, (shared = decodePayload(r.payload)));
    return shared;
  };
  return {
    deliveryKey: r.delivery_key,
    platform: r.platform as Platform,
    channel: r.channel,
    kind: r.kind as OutboxKind,
    eventId: r.event_id ?? undefined,
    dueAt: instant(r.due_at)!,
    worthUntil: instant(r.worth_until),
    get payload() {
      return (payload ??= decode());
    },
    contentHash: r.content_hash,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    get nextAttemptAt() {
      return instant(r.next_attempt_at);
    },
    messageId: r.message_id ?? undefined,
    lastError: r.last_error ?? undefined,
    get reportedAt() {
      return instant(r.reported_at);
    },
    get createdAt() {
      return instant(r.created_at)!;
    },
    get sentAt() {
      return instant(r.sent_at);
    },
  };
}
