import type { Db } from './db';

/** How long a signed Slack request is accepted (Bolt's and Slack's window); a signature is kept this long. */
export const REQUEST_WINDOW_SEC = 5 * 60;

/**
 * Signatures of the signed Slack requests already accepted, so that a replay (the same signature and timestamp
 * sent again within the window) cannot repeat a state-changing action. Kept in the database so that every bot
 * process on it, and a restarted one, refuses the repeat too. Rows older than the window are pruned on the way:
 * past the window Bolt refuses the request as stale anyway.
 */
export class SeenRequests {
  private readonly insert;
  private readonly prune;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO slack_request_signatures (signature, timestamp) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM slack_request_signatures WHERE timestamp < ?');
  }

  /** Records the signature; false when it was already there (a replay). */
  firstTime(signature: string, timestampSec: number, nowSec = Math.floor(Date.now() / 1000)): boolean {
    this.prune.run(nowSec - 2 * REQUEST_WINDOW_SEC);
    return this.insert.run(signature, timestampSec).changes === 1;
  }
}
