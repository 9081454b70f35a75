import type { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { Platform } from '../chat/adapter';
import type { Db } from '../store/db';
import { PLANNER_LEASE } from './lease';
import { stamp, toRow, type Fence, type OutboxRow, type RawRow } from './outbox-row';
import type { RateLimits } from './pacer';

/** A row this replica may deliver, once `delayMs` (its pacing slot) has passed. */
export interface ClaimedRow {
  row: OutboxRow;
  fence: Fence;
  delayMs: number;
  /** The slot itself, in milliseconds of the database's clock (the same for every replica). */
  slotAt: number;
}

export interface ClaimBatch {
  claimed: ClaimedRow[];
  /**
   * This replica's monotonic time (the `localNow` given) when the database's clock was read: each row's slot is
   * `delayMs` after it. Counting from here rather than from the end of the claim keeps the slots of replicas
   * whose claims took different times in the order and spacing the database handed them out.
   */
  clockReadAt?: number;
  /** Due rows are left, but their channels or platforms have no free slot yet: claim again after this. */
  busyMs?: number;
}

/** Which rows a pass delivers: posts or the organizers' reports, never of the communities in `except` (paused). */
export interface Which {
  kind: 'posts' | 'reports';
  except: readonly string[];
}

/** Slots are handed out this far ahead of the database's clock; a busier channel or platform waits its turn. */
const LOOKAHEAD_MS = 1_000;
/** Candidates read per row wanted: rows of a channel that is paced get skipped within a batch. */
const CANDIDATES = 4;
const BUSY_POLL_MS = 200;

/**
 * Hands out due outbox rows to replicas, each row to one replica at a time, and the platforms' rate limits with
 * them. In one short transaction (serialised across replicas by an advisory lock on PostgreSQL, by the write lock
 * on SQLite) it reads due rows nobody holds (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so rows another statement
 * is changing are passed over, not waited for), gives each picked row a send slot from the shared pacing rows (the
 * channel's next free time and the platform's, in milliseconds of the database's clock, which every replica
 * shares), and writes the claim: `claimed_by`, `claim_until` and `claim_token + 1`. Every later write about the
 * row names that token (Outbox), so a claim that expired and was taken by another replica fences the first one.
 */
export class Claims {
  constructor(
    private readonly db: Db,
    private readonly holder: string,
    private readonly limits: RateLimits,
    private readonly ttlMs: number,
    /** Monotonic milliseconds of this process (the deliverer's PacerTime), for `clockReadAt`. */
    private readonly localNow: () => number = () => performance.now(),
  ) {}

  async claim(now: DateTime, which: Which, limit: number): Promise<ClaimBatch> {
    return this.db.transaction(
      async (tx) => {
        const before = this.localNow();
        const dbNow = await this.dbNow(tx);
        // The database read its clock somewhere in that round trip: its middle is the best guess here.
        const clockReadAt = (before + this.localNow()) / 2;
        const lease = await tx.row(sql<{ generation: number; from_dead: number }>`SELECT generation, from_dead FROM leases WHERE name = ${PLANNER_LEASE}`);
        const at = stamp(now);
        const due = sql`((status = 'pending' AND due_at <= ${at} AND (next_attempt_at IS NULL OR next_attempt_at <= ${at})) OR status = 'sending')
          AND (claim_until IS NULL OR claim_until <= ${at}) AND ${which.kind === 'reports' ? sql`kind = 'report'` : sql`kind != 'report'`}
          ${which.except.length > 0 ? sql`AND community NOT IN (${sql.join([...which.except])})` : sql``}`;
        const horizon = dbNow + LOOKAHEAD_MS;
        // Two lookups by primary key (not one with OR, which would scan the pacing table for every row).
        const free = sql`NOT EXISTS (SELECT 1 FROM pacing WHERE pacing.key = 'channel:' || outbox.platform || ':' || outbox.channel AND pacing.next_at > ${horizon})
          AND NOT EXISTS (SELECT 1 FROM pacing WHERE pacing.key = 'platform:' || outbox.platform AND pacing.next_at > ${horizon})`;
        const lock = tx.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
        const candidates = await tx.rows(sql<RawRow>`SELECT * FROM outbox WHERE ${due} AND ${free} ORDER BY due_at, delivery_key LIMIT ${limit * CANDIDATES} ${lock}`);
        if (candidates.length === 0) {
          const waiting = await tx.row(sql<{ n: number }>`SELECT 1 AS n FROM outbox WHERE ${due} LIMIT 1`);
          return waiting ? { claimed: [], busyMs: BUSY_POLL_MS } : { claimed: [] };
        }
        const generation = lease ? Number(lease.generation) : -1;
        const picked = await this.pace(tx, candidates, dbNow, limit, generation);
        if (picked.length === 0) return { claimed: [], busyMs: BUSY_POLL_MS };
        const until = stamp(now.plus({ milliseconds: this.ttlMs }));
        const tokens = await tx.rows(
          sql<{ delivery_key: string; claim_token: number }>`UPDATE outbox SET claimed_by = ${this.holder}, claim_until = ${until}, claim_token = claim_token + 1
            WHERE delivery_key IN (${sql.join(picked.map((p) => p.raw.delivery_key))}) RETURNING delivery_key, claim_token`,
        );
        const token = new Map(tokens.map((t) => [t.delivery_key, Number(t.claim_token)]));
        return {
          clockReadAt,
          claimed: picked.map(({ raw, delayMs }) => ({
            slotAt: dbNow + delayMs,
            row: toRow({ ...raw, claimed_by: this.holder, claim_until: until, claim_token: token.get(raw.delivery_key)! }),
            fence: { token: token.get(raw.delivery_key)!, generation, fromDead: Number(lease?.from_dead ?? 0) === 1 },
            delayMs,
          })),
        };
      },
      { lock: 'outbox-claims' },
    );
  }

  /**
   * Gives rows send slots: no earlier than the channel's next free time (per-channel limit) and the platform's
   * (its rate), and no later than the lookahead; a row whose slot would be later waits for a later batch. A row
   * the deliverer looks up before it posts (left `sending`, or not checked under the planner generation `gen`)
   * makes two platform requests, so it takes two steps of the platform's rate: counting rows instead of requests
   * let replicas together ask for twice the rate after a planner take-over, and draw 429s.
   */
  private async pace(tx: Db, candidates: RawRow[], dbNow: number, limit: number, gen: number): Promise<{ raw: RawRow; delayMs: number }[]> {
    const keysOf = (r: RawRow) => {
      const platform = r.platform as Platform;
      const requests = r.status === 'sending' || r.checked_gen === null || Number(r.checked_gen) !== gen ? 2 : 1;
      return {
        channel: this.limits.perChannelMs[platform] ? `channel:${platform}:${r.channel}` : undefined,
        platform: this.limits.perSecond[platform] ? `platform:${platform}` : undefined,
        gap: this.limits.perChannelMs[platform] ?? 0,
        step: this.limits.perSecond[platform] ? (requests * 1000) / this.limits.perSecond[platform]! : 0,
      };
    };
    const wanted = new Set<string>();
    for (const r of candidates) {
      const k = keysOf(r);
      if (k.channel) wanted.add(k.channel);
      if (k.platform) wanted.add(k.platform);
    }
    const next = new Map<string, number>();
    if (wanted.size > 0) {
      for (const p of await tx.rows(sql<{ key: string; next_at: number }>`SELECT key, next_at FROM pacing WHERE key IN (${sql.join([...wanted])})`)) next.set(p.key, Number(p.next_at));
    }
    const changed = new Set<string>();
    const picked: { raw: RawRow; delayMs: number }[] = [];
    for (const raw of candidates) {
      if (picked.length >= limit) break;
      const k = keysOf(raw);
      const slot = Math.max(dbNow, k.channel ? (next.get(k.channel) ?? 0) : 0, k.platform ? (next.get(k.platform) ?? 0) : 0);
      if (slot > dbNow + LOOKAHEAD_MS) continue;
      if (k.channel) next.set(k.channel, slot + k.gap), changed.add(k.channel);
      if (k.platform) next.set(k.platform, slot + k.step), changed.add(k.platform);
      picked.push({ raw, delayMs: slot - dbNow });
    }
    if (changed.size > 0) {
      const values = [...changed].map((key) => sql`(${key}, ${next.get(key)!})`);
      await tx.run(sql`INSERT INTO pacing (key, next_at) VALUES ${sql.join(values)} ON CONFLICT (key) DO UPDATE SET next_at = excluded.next_at`);
    }
    return picked;
  }

  /** Milliseconds of the database's clock: the one clock all replicas share, for pacing slots. */
  private async dbNow(tx: Db): Promise<number> {
    const query =
      tx.dialect === 'postgres'
        ? sql<{ now: number }>`SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::double precision AS now`
        : sql<{ now: number }>`SELECT (julianday('now') - 2440587.5) * 86400000.0 AS now`;
    return Number((await tx.row(query))!.now);
  }
}
