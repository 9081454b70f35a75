import type { Db } from '../store/db';
import { sql } from 'kysely';

/** Milliseconds that only go forward at the rate of real time (performance.now()); injected in tests. */
export type Monotonic = () => number;
export const monotonic: Monotonic = () => performance.now();

/**
 * Lease timing. A contender takes over a lease whose heartbeat it has seen standing still for `ttlMs` on its own
 * monotonic clock; with the default 15 s TTL and 5 s checks, a dead holder is replaced 15-25 s after its last
 * heartbeat (at most about 30 s after it died, since it beat every 5 s). The holder beats again before it acts
 * whenever its last beat is `beatMs` old, so after a stop longer than that it learns it lost the lease before it
 * posts anything. No wall-clock time is involved: a clock jump neither hands the lease over nor blocks it.
 */
interface LeaseTiming {
  ttlMs: number;
  /** How often the holder beats and contenders look (the scheduler's lease timer). */
  beatMs: number;
}

/** The scheduler's planning lease; its generation fences delivery (outbox.attempt). */
export const PLANNER_LEASE = 'scheduler';

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 15_000, beatMs: 5_000 };

interface LeaseRow {
  holder: string;
  generation: number;
  beat: number;
}

/**
 * A named lease in the database with a fencing token: `generation` grows by one at every take-over. The scheduler
 * uses one lease, for planning: one replica at a time turns the catalogue and rules into outbox rows, so that
 * replicas reading different versions of the data do not undo each other's plans (one cancelling what another just
 * planned). Rows are *delivered* by every replica under per-row claims (claims.ts); the generation still fences
 * delivery: a row may be sent without a lookup only when it was checked (or planned) under the current generation,
 * and `from_dead` tells deliverers that the last take-over was from a holder that stopped beating.
 */
export class Lease {
  private turn: Promise<unknown> = Promise.resolve();
  private held?: { generation: number; beatStartedAt: number };
  private observed?: { row: string; at: number };

  constructor(
    private readonly db: Db,
    readonly name: string,
    readonly holder: string,
    private readonly mono: Monotonic = monotonic,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {}

  get generation(): number | undefined {
    return this.held?.generation;
  }

  /**
   * Beats if we hold the lease, takes it if it is free or its heartbeat stood still for the TTL, otherwise notes
   * the heartbeat seen. Returns the generation held afterwards, if any.
   */
  acquire(): Promise<number | undefined> {
    // One at a time per process: a beat from the timer and one from a delivery must not race each other's result.
    const next = this.turn.then(() => this.acquireNow());
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async acquireNow(): Promise<number | undefined> {
    const startedAt = this.mono();
    const row = await this.db.row(sql<LeaseRow>`SELECT holder, generation, beat FROM leases WHERE name = ${this.name}`);
    if (!row) {
      const changed = await this.db.run(
        sql`INSERT INTO leases (name, holder, expires_at, generation, beat) VALUES (${this.name}, ${this.holder}, 0, 1, 0) ON CONFLICT (name) DO NOTHING`,
      );
      return changed === 1 ? this.hold(1, startedAt) : this.lose();
    }
    if (this.held && row.holder === this.holder && row.generation === this.held.generation) {
      const changed = await this.db.run(sql`UPDATE leases SET beat = beat + 1 WHERE name = ${this.name} AND holder = ${this.holder} AND generation = ${row.generation}`);
      return changed === 1 ? this.hold(row.generation, startedAt) : this.lose();
    }
    this.held = undefined;
    const seen = `${row.holder}|${row.generation}|${row.beat}`;
    if (row.holder !== '' && this.observed?.row !== seen) {
      this.observed = { row: seen, at: startedAt };
      return undefined;
    }
    if (row.holder !== '' && startedAt - this.observed!.at < this.timing.ttlMs) return undefined;
    // Free, or its holder stopped beating: take it, unless someone else moved it since we read it.
    const changed = await this.db.run(
      sql`UPDATE leases SET holder = ${this.holder}, generation = generation + 1, beat = 0, from_dead = ${row.holder !== '' ? 1 : 0}
          WHERE name = ${this.name} AND holder = ${row.holder} AND generation = ${row.generation} AND beat = ${row.beat}`,
    );
    return changed === 1 ? this.hold(row.generation + 1, startedAt) : this.lose();
  }

  /**
   * Still ours: within our own monotonic TTL since the last heartbeat, beating again when one is due, and the
   * database still names us with our generation. Checked before every attempt to post.
   */
  async valid(): Promise<boolean> {
    if (!this.held) return false;
    // A beat is due (or long overdue after a stop): beating is the check, atomic against a contender's take-over.
    if (this.mono() - this.held.beatStartedAt >= this.timing.beatMs) return (await this.acquire()) !== undefined;
    const held = this.held.generation;
    const row = await this.db.row(sql<{ generation: number }>`SELECT generation FROM leases WHERE name = ${this.name} AND holder = ${this.holder}`);
    return row?.generation === held || this.lose() !== undefined;
  }

  /** Lets another process take over at once instead of waiting for the TTL (clean shutdown). */
  async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held) await this.db.run(sql`UPDATE leases SET holder = '' WHERE name = ${this.name} AND holder = ${this.holder} AND generation = ${held.generation}`);
  }

  private hold(generation: number, beatStartedAt: number): number | undefined {
    // A beat that took longer than the TTL may already have been overtaken: the next valid() check says so.
    this.held = { generation, beatStartedAt };
    return generation;
  }

  private lose(): undefined {
    this.held = undefined;
    return undefined;
  }
}
