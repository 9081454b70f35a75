import { DateTime } from 'luxon';
import type { Destination, Platform } from '../chat/adapter';
import type { MessageModel } from '../chat/message';
import { decodePayload, type OutboxPayload } from './payload';

/**
 * pending: not on the platform as far as we know; sending: an attempt was made and its outcome is unknown (in
 * flight, or the answer was a timeout, a reset or a 5xx): it is looked up on the platform before any resend.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'cancelled';
/**
 * rule: automatic post; post: organizer's /announce; update / cancel: follow-ups to earlier posts; report: a
 * summary for the organizers; message: anything enqueued through `enqueue` (DMs, organizer notices, ...).
 */
export type OutboxKind = 'rule' | 'post' | 'update' | 'cancel' | 'report' | 'message';

export interface OutboxRow {
  deliveryKey: string;
  /** The community it belongs to ('' in a one-community set-up; absent in rows built outside the store). */
  community?: string;
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
  /** Lease generation under which the row was last checked to be absent from the platform. */
  checkedGen?: number;
  attemptedAt?: DateTime;
  messageId?: string;
  lastError?: string;
  reportedAt?: DateTime;
  createdAt: DateTime;
  sentAt?: DateTime;
  /** The replica that claimed the row to deliver it, until `claimUntil`; the claim's token grows at every claim. */
  claimedBy?: string;
  claimUntil?: DateTime;
  claimToken: number;
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
  eventId?: string;
}

/**
 * A replica's claim on one row (claims.ts). Every write a deliverer makes names the claim's token, checked in the
 * same statement, so a replica whose claim was taken over (it stopped past the claim's expiry and another replica
 * claimed the row) can neither record an outcome nor start a send.
 */
export interface Fence {
  token: number;
  /** The planner lease's generation when the row was claimed: a row checked under another one is looked up first. */
  generation: number;
  /** That generation was taken from a holder that stopped beating: every lookup settles (see Deliverer). */
  fromDead: boolean;
}

export interface RawRow {
  delivery_key: string;
  community: string;
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
  checked_gen: number | null;
  attempted_at: string | null;
  message_id: string | null;
  last_error: string | null;
  reported_at: string | null;
  created_at: string;
  sent_at: string | null;
  claimed_by?: string | null;
  claim_until?: string | null;
  claim_token?: number;
}

/** Instants are stored as UTC ISO strings of one fixed shape, so SQL compares and sorts them as text. */
export const stamp = (t: DateTime): string => t.toUTC().toISO()!;
const instant = (s: string | null): DateTime | undefined => (s === null ? undefined : DateTime.fromISO(s, { zone: 'utc' }));

/** The stored key of a Delivery: one row per destination. */
export const deliveryRowKey = (key: string, to: Destination): string => `${key}:${to.platform}:${to.channel}`;

/** The payload is decoded only when read: most queries look at keys, states and hashes only. */
export function toRow(r: RawRow): OutboxRow {
  let payload: OutboxPayload | undefined;
  return {
    deliveryKey: r.delivery_key,
    community: r.community,
    platform: r.platform as Platform,
    channel: r.channel,
    kind: r.kind as OutboxKind,
    eventId: r.event_id ?? undefined,
    dueAt: instant(r.due_at)!,
    worthUntil: instant(r.worth_until),
    get payload() {
      return (payload ??= decodePayload(r.payload));
    },
    contentHash: r.content_hash,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: instant(r.next_attempt_at),
    checkedGen: r.checked_gen ?? undefined,
    attemptedAt: instant(r.attempted_at),
    messageId: r.message_id ?? undefined,
    lastError: r.last_error ?? undefined,
    reportedAt: instant(r.reported_at),
    createdAt: instant(r.created_at)!,
    sentAt: instant(r.sent_at),
    claimedBy: r.claimed_by ?? undefined,
    claimUntil: instant(r.claim_until ?? null),
    claimToken: Number(r.claim_token ?? 0),
  };
}
