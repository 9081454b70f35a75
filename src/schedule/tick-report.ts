import type { DateTime } from 'luxon';
import { postsTotal } from '../metrics';
import type { Outcome } from './deliverer';
import type { OutboxRow } from './outbox';

export interface TickReport {
  at: DateTime;
  /** False when another process holds the lease: this one did nothing. */
  ran: boolean;
  paused: boolean;
  /** Rows found already on the platform by a lookup (so not sent again). */
  recovered: number;
  sent: number;
  edited: number;
  /** Given up on (reported to the organizers). */
  failed: number;
  skipped: number;
  /** Refused for now (429, transient): tried again after a backoff. */
  retrying: number;
  cancelled: number;
  /** Ambiguous answers: looked up before any resend. */
  unknown: number;
  /** Rows waiting for a lookup to settle. */
  waiting: number;
  /** Rows included in this tick's summary to the organizers. */
  reported: number;
}

export function count(report: TickReport, row: OutboxRow, outcome: Outcome): void {
  if (outcome === 'sent' || outcome === 'failed') postsTotal.inc({ platform: row.platform, status: outcome });
  // Reports to the organizers are counted under `reported` (the rows they cover), not as posts.
  if (outcome !== 'fenced' && row.kind !== 'report') report[outcome]++;
}

export function emptyReport(at: DateTime): TickReport {
  return { at, ran: false, paused: false, recovered: 0, sent: 0, edited: 0, failed: 0, skipped: 0, retrying: 0, cancelled: 0, unknown: 0, waiting: 0, reported: 0 };
}
