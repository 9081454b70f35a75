import type { Db } from '../store/db';
import type { Fence } from './outbox';
import { statementCache } from './sql';

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
export interface LeaseTiming {
  ttlMs: number;
  /** How often the holder beats and contenders look (the scheduler's lease timer). */
  beatMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 15_000, beatMs: 5_000 };

interface LeaseRow {
  holder: string;
  generation: number;
  beat: number;
}

/**
 * A named lease in SQLite with a fencing token: `generation` grows by one at every take-over, and every change a
 * holder makes to the outbox names the generation it holds, checked in the same statement. A holder that was
 * stopped (SIGSTOP, a long GC pause) and wakes up after a take-over can therefore change nothing.
 */
export class Lease {
  private readonly sql: ReturnType<typeof statementCache>;
  private held?: { generation: number; beatStartedAt: number; fromDead: boolean };
  private observed?: { row: string; at: number };

  constructor(
    db: Db,
    readonly name: string,
    readonly holder: string,
    private readonly mono: Monotonic = monotonic,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {
    this.sql = statementCache(db);
  }

  /** The fence for outbox changes while held. */
  get fence(): Fence | undefined {
    return this.held && { lease: this.name, holder: this.holder, generation: this.held.generation };
  }

  get generation(): number | undefined {
    return this.held?.generation;
  }

  /** Held since taking it from a holder that stopped beating (it may have died mid-post): not a clean hand-over. */
  get takenFromDead(): boolean {
    return this.held?.fromDead ?? false;
  }

  /**
   * Beats if we hold the lease, takes it if it is free or its heartbeat stood still for the TTL, otherwise notes
   * the heartbeat seen. Returns the generation held afterwards, if any.
   */
  acquire(): number | undefined {
    const startedAt = this.mono();
    const row = this.sql('SELECT holder, generation, beat FROM leases WHERE name = ?').get(this.name) as LeaseRow | undefined;
    if (!row) {
      const info = this.sql(`INSERT OR IGNORE INTO leases (name, holder, expires_at, generation, beat) VALUES (?, ?, 0, 1, 0)`).run(this.name, this.holder);
      return info.changes === 1 ? this.hold(1, startedAt, false) : this.lose();
    }
    if (this.held && row.holder === this.holder && row.generation === this.held.generation) {
      const info = this.sql('UPDATE leases SET beat = beat + 1 WHERE name = ? AND holder = ? AND generation = ?').run(this.name, this.holder, row.generation);
      return info.changes === 1 ? this.hold(row.generation, startedAt, this.held.fromDead) : this.lose();
    }
    this.held = undefined;
    const seen = `${row.holder}|${row.generation}|${row.beat}`;
    if (row.holder !== '' && this.observed?.row !== seen) {
      this.observed = { row: seen, at: startedAt };
      return undefined;
    }
    if (row.holder !== '' && startedAt - this.observed!.at < this.timing.ttlMs) return undefined;
    // Free, or its holder stopped beating: take it, unless someone else moved it since we read it.
    const info = this.sql('UPDATE leases SET holder = ?, generation = generation + 1, beat = 0 WHERE name = ? AND holder = ? AND generation = ? AND beat = ?').run(
      this.holder,
      this.name,
      row.holder,
      row.generation,
      row.beat,
    );
    return info.changes === 1 ? this.hold(row.generation + 1, startedAt, row.holder !== '') : this.lose();
  }

  /**
   * Still ours: within our own monotonic TTL since the last heartbeat, beating again when one is due, and the
   * database still names us with our generation. Checked before every attempt to post.
   */
  valid(): boolean {
    if (!this.held) return false;
    // A beat is due (or long overdue after a stop): beating is the check, atomic against a contender's take-over.
    if (this.mono() - this.held.beatStartedAt >= this.timing.beatMs) return this.acquire() !== undefined;
    const row = this.sql('SELECT generation FROM leases WHERE name = ? AND holder = ?').get(this.name, this.holder) as { generation: number } | undefined;
    return row?.generation === this.held.generation || this.lose() !== undefined;
  }

  /** Who holds it according to the database (the holder may be dead: only the heartbeat tells). */
  currentHolder(): string | undefined {
    const row = this.sql('SELECT holder FROM leases WHERE name = ?').get(this.name) as { holder: string } | undefined;
    return row?.holder || undefined;
  }

  /** Lets another process take over at once instead of waiting for the TTL (clean shutdown). */
  release(): void {
    if (this.held) this.sql(`UPDATE leases SET holder = '' WHERE name = ? AND holder = ? AND generation = ?`).run(this.name, this.holder, this.held.generation);
    this.held = undefined;
  }

  private hold(generation: number, beatStartedAt: number, fromDead: boolean): number | undefined {
    // A beat that took longer than the TTL may already have been overtaken: the next valid() check says so.
    this.held = { generation, beatStartedAt, fromDead };
    return generation;
  }

  private lose(): undefined {
    this.held = undefined;
    return undefined;
  }
}
