import type { DateTime } from 'luxon';
import { PostError, type ChatPoster, type Platform } from '../chat/adapter';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Monotonic } from './lease';
import type { Fence, Outbox, OutboxRow } from './outbox';
import type { OutboxPayload } from './payload';

/**
 * How long an unknown outcome is looked up before the post is sent again: a lookup that comes back empty is
 * believed only when it was made at least this long after the first empty one (or after the ambiguous answer).
 * A platform can store a message after its answer was lost (Slack stored posts answered 12 s late) and show it in
 * history late (8 s after a crash); a minute covers both with room, and costs a minute only when an answer was
 * actually lost.
 */
export const DEFAULT_SETTLE_MS = 60_000;
/** History is read back to this long before a post fell due (or was attempted): covers clock skew to the platform. */
const LOOKBACK = { hours: 1 };
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 10 * 60_000;
/** A row whose lookup has to settle (or that could not be handled now) is claimed again after this, by any replica. */
const LOOK_AGAIN_MS = 10_000;

export type Outcome = 'sent' | 'recovered' | 'retrying' | 'unknown' | 'waiting' | 'failed' | 'fenced';

export interface DelivererOptions {
  outbox: Outbox;
  /** Whether this replica still holds the planning lease: edits of sent posts are the planner's. */
  planning: () => Promise<boolean>;
  posters: Map<Platform, ChatPoster>;
  /** The scheduler's trusted wall clock (due times, worth-until, stamps). */
  clock: Clock;
  mono: Monotonic;
  log: Logger;
  settleMs?: number;
  /**
   * Waits for this replica's turn at the platform right before each request (post or lookup) and is told when it
   * was answered: spacing measured at the request itself, so a slow database write before one post cannot squeeze
   * the gap to the next one in the same channel.
   */
  pace?: (platform: Platform, channel: string) => Promise<() => void>;
  /** Called before every attempt and lookup: tests stop the holder here (as SIGSTOP would) and let it continue. */
  pause?: () => Promise<void>;
}

/**
 * Sends one claimed outbox row at a time under one retry policy:
 * - every write names the row's claim token (Fence), and the attempt (pending → sending, just before the request)
 *   also needs an unexpired claim and a row checked under the current planner generation, so a replica whose
 *   claim was taken over sends and records nothing;
 * - a row that may already be on the platform (an unknown outcome, or a row not checked under the current planner
 *   generation: a crash, a lost `-wal`, a restored backup) is looked up by its delivery key first; an unknown
 *   outcome, and any row after a planner take-over from a dead holder, is looked up until DEFAULT_SETTLE_MS has
 *   passed without a sighting (the settling time is this replica's: another replica that claims the row meanwhile
 *   starts its own);
 * - an ambiguous answer (timeout, reset, 5xx) makes the outcome unknown, never "failed"; a clear refusal that can
 *   pass (429, a transient error) is retried with capped exponential backoff; anything else fails for good;
 * - a row is tried until it is no longer worth making (`worthUntil`), then it fails and is reported.
 */
export class Deliverer {
  /** Per row: monotonic time of the first empty lookup or of the ambiguous answer. */
  private readonly looks = new Map<string, number>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly options: DelivererOptions) {}

  async deliver(row: OutboxRow, fence: Fence): Promise<Outcome> {
    const outcome = await this.attempt(row, fence);
    // Whatever did not end the claim (a lookup settling, a claim that turned out stale) hands the row back, to be
    // claimed again a little later by any replica; a stale token makes this a no-op.
    if (outcome === 'waiting' || outcome === 'fenced') await this.options.outbox.release(row.deliveryKey, fence, this.options.clock.now().plus({ milliseconds: LOOK_AGAIN_MS }));
    else if (outcome === 'retrying') await this.options.outbox.release(row.deliveryKey, fence);
    return outcome;
  }

  private async attempt(row: OutboxRow, fence: Fence): Promise<Outcome> {
    const { outbox } = this.options;
    if (this.inFlight.has(row.deliveryKey)) return 'waiting';
    await this.options.pause?.();
    const now = this.options.clock.now();
    if (now > (row.worthUntil ?? row.dueAt.plus({ days: 1 }))) return this.giveUp(row, fence, now);
    const poster = this.options.posters.get(row.platform);
    if (!poster) {
      await outbox.fail(row.deliveryKey, `no ${row.platform} adapter is configured`, fence);
      return 'failed';
    }
    if (row.status === 'sending' || row.checkedGen !== fence.generation) {
      const checked = await this.lookUp(row, fence, poster, now);
      if (checked !== 'checked') return checked;
    }
    const fresh = await outbox.get(row.deliveryKey);
    if (!fresh || fresh.claimToken !== fence.token) return 'fenced';
    return this.send(fresh, fence, poster);
  }

  /** Applies an agenda edit to a sent message. Throws a non-retryable PostError when it cannot ever work. */
  async edit(row: OutboxRow, payload: OutboxPayload, contentHash: string): Promise<boolean> {
    const poster = this.options.posters.get(row.platform);
    if (!(await this.options.planning())) return false;
    if (!poster) throw new PostError(`no ${row.platform} adapter is configured`, false);
    await poster.edit(row.channel, row.messageId!, payload.message);
    await this.options.outbox.updateContent(row.deliveryKey, payload, contentHash);
    return true;
  }

  private async lookUp(row: OutboxRow, fence: Fence, poster: ChatPoster, now: DateTime): Promise<Outcome | 'checked'> {
    const { outbox, log } = this.options;
    const startedAt = this.options.mono();
    let found: string | undefined;
    const answered = await this.paced(row);
    try {
      found = await poster.findPosted(row.channel, row.deliveryKey, lookbackFrom(row));
    } catch (error) {
      answered();
      if (error instanceof PostError && !error.retryable && row.status === 'pending') {
        // The channel is gone or closed to the bot: nothing can be posted there either.
        await outbox.fail(row.deliveryKey, error.message, fence);
        return 'failed';
      }
      log.warn({ err: error, key: row.deliveryKey }, 'could not look a delivery up; trying again later');
      return 'waiting';
    }
    answered();
    if (found !== undefined) {
      this.looks.delete(row.deliveryKey);
      if (!(await outbox.markSent(row.deliveryKey, found, fence, this.options.clock.now()))) return 'fenced';
      log.info({ key: row.deliveryKey, messageId: found }, 'delivery found on the platform; marked sent');
      return 'recovered';
    }
    // After a planner take-over from a dead holder, any row may be one posted just before it died (its state lost
    // with a -wal, or the platform storing it late): those lookups settle too. A clean hand-over needs one lookup.
    if (row.status === 'sending' || fence.fromDead) {
      const first = this.looks.get(row.deliveryKey);
      if (first === undefined) this.looks.set(row.deliveryKey, startedAt);
      if (first === undefined || startedAt - first < (this.options.settleMs ?? DEFAULT_SETTLE_MS)) return 'waiting';
    }
    this.looks.delete(row.deliveryKey);
    const retryAt = row.attempts > 0 ? now.plus({ milliseconds: Math.max(0, backoff(row.attempts) - (this.options.settleMs ?? DEFAULT_SETTLE_MS)) }) : undefined;
    if (!(await outbox.markChecked(row.deliveryKey, fence, retryAt))) return 'fenced';
    return retryAt && retryAt > now ? 'retrying' : 'checked';
  }

  private async send(row: OutboxRow, fence: Fence, poster: ChatPoster): Promise<Outcome> {
    const { outbox, log } = this.options;
    if (row.status !== 'pending' || !(await outbox.attempt(row.deliveryKey, fence, this.options.clock.now()))) return 'fenced';
    this.inFlight.add(row.deliveryKey);
    const answered = await this.paced(row);
    try {
      const { messageId } = await poster.post(row.channel, row.payload.message, { deliveryKey: row.deliveryKey }).finally(answered);
      // Fenced: a replica whose claim was taken over leaves the row to the new claimer, which finds the message.
      return (await outbox.markSent(row.deliveryKey, messageId, fence, this.options.clock.now())) ? 'sent' : 'fenced';
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof PostError) || error.ambiguous) {
        await outbox.noteUnknown(row.deliveryKey, `outcome unknown: ${reason}`, fence, this.options.clock.now().plus({ milliseconds: LOOK_AGAIN_MS }));
        this.looks.set(row.deliveryKey, this.options.mono());
        log.warn({ key: row.deliveryKey, err: reason }, 'delivery outcome unknown; looking it up before any resend');
        return 'unknown';
      }
      if (!error.retryable) {
        await outbox.fail(row.deliveryKey, reason, fence);
        log.error({ key: row.deliveryKey, err: reason }, 'delivery failed for good');
        return 'failed';
      }
      const delay = Math.max(error.retryAfterMs ?? 0, backoff(row.attempts + 1));
      await outbox.retryLater(row.deliveryKey, reason, this.options.clock.now().plus({ milliseconds: delay }), fence);
      log.warn({ key: row.deliveryKey, delayMs: delay, err: reason }, 'delivery refused; retrying');
      return 'retrying';
    } finally {
      this.inFlight.delete(row.deliveryKey);
    }
  }

  private paced(row: OutboxRow): Promise<() => void> {
    return this.options.pace ? this.options.pace(row.platform, row.channel) : Promise.resolve(() => undefined);
  }

  private async giveUp(row: OutboxRow, fence: Fence, now: DateTime): Promise<Outcome> {
    this.looks.delete(row.deliveryKey);
    const why = row.status === 'sending' ? `could not confirm it arrived (${row.lastError ?? 'no answer'})` : (row.lastError ?? 'not sent');
    await this.options.outbox.fail(row.deliveryKey, `${why}; no longer worth posting after ${(row.worthUntil ?? now).toUTC().toISO()}`, fence);
    this.options.log.error({ key: row.deliveryKey, err: why }, 'delivery given up: no longer worth making');
    return 'failed';
  }
}

function lookbackFrom(row: OutboxRow): DateTime {
  const first = row.attemptedAt && row.attemptedAt < row.dueAt ? row.attemptedAt : row.dueAt;
  return first.minus(LOOKBACK);
}

function backoff(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}
