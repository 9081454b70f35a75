import { CompiledQuery, sql } from 'kysely';
import type { Db } from './db';

/** How long a signed Slack request is accepted (Bolt's and Slack's window); a signature is kept this long. */
export const REQUEST_WINDOW_SEC = 5 * 60;
const PRUNE_EVERY_SEC = 60;

/**
 * Signatures of the signed Slack requests already accepted, so that a replay (the same signature and timestamp
 * sent again within the window) cannot repeat a state-changing action. Kept in the database so that every bot
 * process on it, and a restarted one, refuses the repeat too. Rows older than the window are pruned on the way, at
 * most once a minute per process, so a busy workspace does not pay a DELETE on every request: past the window Bolt
 * refuses the request as stale anyway, so a row that outlives it only takes disk until the next prune.
 */
export class SeenRequests {
  private prunedAtSec = -Infinity;
  /** The INSERT as this store's dialect writes it, built once: each request only binds its two values. */
  private insertSql: string | undefined;

  constructor(private readonly db: Db) {}

  /** Records the signature; false when it was already there (a replay). */
  async firstTime(signature: string, timestampSec: number, nowSec = Math.floor(Date.now() / 1000)): Promise<boolean> {
    if (nowSec - this.prunedAtSec >= PRUNE_EVERY_SEC) {
      this.prunedAtSec = nowSec;
      await this.db.run(sql`DELETE FROM slack_request_signatures WHERE timestamp < ${nowSec - 2 * REQUEST_WINDOW_SEC}`);
    }
    this.insertSql ??= sql`INSERT INTO slack_request_signatures (signature, timestamp) VALUES (${''}, ${0}) ON CONFLICT (signature) DO NOTHING`.compile(this.db.kysely).sql;
    const result = await this.db.q().executeQuery(CompiledQuery.raw(this.insertSql, [signature, timestampSec]));
    return Number(result.numAffectedRows ?? 0n) === 1;
  }
}
