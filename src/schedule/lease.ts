import type { Db } from '../store/db';
import { statementCache } from './sql';

/**
 * A named lease in SQLite: at most one holder at a time; a holder that stops renewing loses it when it expires.
 * Taking and renewing is one UPSERT, atomic even across processes sharing the database file.
 */
export class Lease {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(
    db: Db,
    readonly name: string,
    readonly holder: string,
    private readonly ttlMs: number,
  ) {
    this.sql = statementCache(db);
  }

  /** Takes the lease if it is free or expired, renews it if we hold it. True when we hold it afterwards. */
  acquire(nowMs: number): boolean {
    const info = this.sql(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      )
      .run(this.name, this.holder, nowMs + this.ttlMs, nowMs);
    return info.changes === 1;
  }

  /** Still ours and not expired: checked before each send, so a holder that lost the lease stops at once. */
  held(nowMs: number): boolean {
    const row = this.sql('SELECT holder, expires_at FROM leases WHERE name = ?').get(this.name) as { holder: string; expires_at: number } | undefined;
    return row?.holder === this.holder && row.expires_at > nowMs;
  }

  currentHolder(nowMs: number): string | undefined {
    const row = this.sql('SELECT holder FROM leases WHERE name = ? AND expires_at > ?').get(this.name, nowMs) as { holder: string } | undefined;
    return row?.holder;
  }

  /** Lets another process take over at once instead of waiting for the expiry (clean shutdown). */
  release(): void {
    this.sql('DELETE FROM leases WHERE name = ? AND holder = ?').run(this.name, this.holder);
  }
}
