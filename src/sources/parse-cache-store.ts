import { sql } from 'kysely';
import type { Db } from '../store/db';
import { SINGLE_COMMUNITY, type CommunityId } from '../community/scope';
import type { CacheChanges, StoredParse } from './parse-cache';

/** Rows per statement: well under SQLite's and PostgreSQL's limits on placeholders. */
const BATCH = 100;

/**
 * Deletes the parse results of every community this configuration no longer names (a folder taken out of
 * COMMUNITIES_DIR, or the single community once there are several): they would otherwise stay forever, holding
 * what a community's posts said after it left. A community that comes back parses its files once more. Returns how
 * many rows went.
 */
export async function forgetUnconfiguredCommunities(db: Db, configured: readonly CommunityId[]): Promise<number> {
  if (configured.length === 0) return 0;
  return db.run(sql`DELETE FROM parse_cache WHERE community NOT IN (${sql.join(configured.map((id) => sql`${id}`))})`);
}

/**
 * Where one community's parse results live between runs (table parse_cache, one row per current file). Read
 * whole before the first load, written after each load. Replicas and communities share the table: rows are by
 * community and file, a write replaces the file's row, and a delete removes only the row this process read, never
 * one another replica has since written for a newer revision.
 */
export class ParseCacheStore {
  constructor(
    private readonly db: Db,
    private readonly community: CommunityId = SINGLE_COMMUNITY,
  ) {}

  async read(): Promise<Map<string, StoredParse>> {
    const rows = await this.db.rows(sql<{ file: string; cache_key: string; result: string; checksum: string }>`SELECT file, cache_key, result, checksum FROM parse_cache WHERE community = ${this.community}`);
    return new Map(rows.map((r) => [r.file, { key: r.cache_key, result: r.result, checksum: r.checksum }]));
  }

  async save(changes: CacheChanges): Promise<void> {
    if (changes.put.length === 0 && changes.removed.length === 0) return;
    // No transaction: each row stands alone (checked when read), and a statement at a time never holds SQLite's
    // write lock across awaits. In file order, so replicas writing the same files lock their rows in one order.
    const put = [...changes.put].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (let i = 0; i < put.length; i += BATCH) {
      const values = put.slice(i, i + BATCH).map(({ file, stored }) => sql`(${this.community}, ${file}, ${stored.key}, ${stored.result}, ${stored.checksum})`);
      await this.db.run(sql`INSERT INTO parse_cache (community, file, cache_key, result, checksum) VALUES ${sql.join(values)}
        ON CONFLICT (community, file) DO UPDATE SET cache_key = excluded.cache_key, result = excluded.result, checksum = excluded.checksum`);
    }
    for (let i = 0; i < changes.removed.length; i += BATCH) {
      const rows = changes.removed.slice(i, i + BATCH).map(({ file, key }) => sql`(${file}, ${key})`);
      await this.db.run(sql`DELETE FROM parse_cache WHERE community = ${this.community} AND (file, cache_key) IN (VALUES ${sql.join(rows)})`);
    }
  }
}
