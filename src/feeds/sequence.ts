import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Statement } from 'better-sqlite3';
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

interface Params {
  uid: string;
  hash: string;
  now: string;
}

interface Row {
  content_hash: string;
  sequence: number;
  created_at: string;
  modified_at: string;
}

/**
 * Sha-256 of a value's JSON with object keys sorted, so the hash depends on content only, never on the order
 * in which a renderer happened to build the object.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('base64url');
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** SEQUENCE numbers per calendar UID, kept in the feed_sequences table so they survive restarts. */
export class FeedSequences {
  private readonly select: Statement<[string], Row>;
  private readonly insert: Statement<[Params]>;
  private readonly bump: Statement<[Params]>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.select = db.prepare('SELECT content_hash, sequence, created_at, modified_at FROM feed_sequences WHERE uid = ?');
    this.insert = db.prepare(
      'INSERT INTO feed_sequences (uid, content_hash, sequence, created_at, modified_at) VALUES (@uid, @hash, 0, @now, @now)',
    );
    this.bump = db.prepare(
      'UPDATE feed_sequences SET content_hash = @hash, sequence = sequence + 1, modified_at = @now WHERE uid = @uid',
    );
  }

  /**
   * Records the current content of every component in one transaction and returns each one's revision:
   * new UIDs start at 0, changed content bumps the sequence and the modified time, unchanged content keeps both.
   */
  record(entries: Iterable<TrackedContent>): Map<string, Revision> {
    const now = this.clock.now().toUTC().toISO()!;
    const revisions = new Map<string, Revision>();
    this.db.transaction(() => {
      for (const { uid, hash } of entries) revisions.set(uid, this.recordOne(uid, hash, now));
    })();
    return revisions;
  }

  private recordOne(uid: string, hash: string, now: string): Revision {
    const row = this.select.get(uid);
    if (!row) {
      this.insert.run({ uid, hash, now });
      return revision(0, now, now);
    }
    if (row.content_hash === hash) return revision(row.sequence, row.created_at, row.modified_at);
    this.bump.run({ uid, hash, now });
    return revision(row.sequence + 1, row.created_at, now);
  }
}

/** Times as stored (UTC ISO strings) back to instants in UTC, as DTSTAMP and LAST-MODIFIED are written. */
function revision(sequence: number, created: string, modified: string): Revision {
  return {
    sequence,
    created: DateTime.fromISO(created, { zone: 'utc' }),
    modified: DateTime.fromISO(modified, { zone: 'utc' }),
  };
}
