import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { Db } from '../store/db';
import { systemClock, type Clock } from '../clock';

/** What a calendar client needs to tell a new version of an entry from the one it has. */
export interface Revision {
  /** RFC 5545 SEQUENCE: 0 when first published, +1 on every change a client should pick up. */
  sequence: number;
  created: DateTime;
  /** When the content last changed: LAST-MODIFIED and DTSTAMP, so an unchanged reload yields identical bytes. */
  modified: DateTime;
}

export interface TrackedContent {
  uid: string;
  hash: string;
}

interface Row {
  content_hash: string;
  sequence: number;
  created_at: string;
  modified_at: string;
}

/** Sha-256 of a list of a calendar entry's values (in a fixed order, so equal content gives an equal hash). */
export function contentHash(values: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url');
}

/** SEQUENCE numbers per calendar UID, kept in the feed_sequences table so they survive restarts. */
export class FeedSequences {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Records the current content of every component in one transaction and returns each one's revision:
   * new UIDs start at 0, changed content bumps the sequence and the modified time, unchanged content keeps both.
   * Known UIDs are read in one query; only new and changed ones are written.
   */
  async record(entries: Iterable<TrackedContent>): Promise<Map<string, Revision>> {
    const now = this.clock.now().toUTC().toISO()!;
    const list = [...entries];
    const revisions = new Map<string, Revision>();
    if (list.length === 0) return revisions;
    await this.db.transaction(async (tx) => {
      const known = new Map<string, Row>();
      for (let i = 0; i < list.length; i += CHUNK) {
        const uids = list.slice(i, i + CHUNK).map((e) => e.uid);
        const rows = await tx.rows(sql<Row & { uid: string }>`SELECT uid, content_hash, sequence, created_at, modified_at FROM feed_sequences WHERE uid IN (${sql.join(uids)})`);
        for (const row of rows) known.set(row.uid, row);
      }
      for (const { uid, hash } of list) {
        const row = known.get(uid);
        if (!row) {
          await tx.run(sql`INSERT INTO feed_sequences (uid, content_hash, sequence, created_at, modified_at) VALUES (${uid}, ${hash}, 0, ${now}, ${now}) ON CONFLICT (uid) DO NOTHING`);
          known.set(uid, { content_hash: hash, sequence: 0, created_at: now, modified_at: now });
          revisions.set(uid, revision(0, now, now));
        } else if (row.content_hash === hash) {
          revisions.set(uid, revision(row.sequence, row.created_at, row.modified_at));
        } else {
          await tx.run(sql`UPDATE feed_sequences SET content_hash = ${hash}, sequence = sequence + 1, modified_at = ${now} WHERE uid = ${uid}`);
          known.set(uid, { content_hash: hash, sequence: row.sequence + 1, created_at: row.created_at, modified_at: now });
          revisions.set(uid, revision(row.sequence + 1, row.created_at, now));
        }
      }
    });
    return revisions;
  }
}

const CHUNK = 500;

/** Times as stored (UTC ISO strings) back to instants in UTC, as DTSTAMP and LAST-MODIFIED are written. */
function revision(sequence: number, created: string, modified: string): Revision {
  return {
    sequence,
    created: DateTime.fromISO(created, { zone: 'utc' }),
    modified: DateTime.fromISO(modified, { zone: 'utc' }),
  };
}
