import { sql } from 'kysely';
import type { Db } from '../store/db';
import { keyPrefix, SINGLE_COMMUNITY, type CommunityId } from '../community/scope';

const PREFIX = 'removal:';

/**
 * Where removed posts' records live: one bot_state row each (`removal:<event id>` → JSON), read once at start
 * and written on every change. Async on purpose, so a database reached over the network fits the same calls.
 */
export class RemovalStore {
  private readonly prefix: string;
  constructor(
    private readonly db: Db,
    community: CommunityId = SINGLE_COMMUNITY,
  ) {
    this.prefix = keyPrefix(community) + PREFIX;
  }

  async all(): Promise<{ id: string; json: string }[]> {
    const rows = await this.db.rows(sql<{ key: string; value: string }>`SELECT key, value FROM bot_state WHERE key LIKE ${`${this.prefix}%`} ORDER BY key`);
    return rows.map((r) => ({ id: r.key.slice(this.prefix.length), json: r.value }));
  }

  async put(id: string, json: string): Promise<void> {
    await this.db.run(sql`INSERT INTO bot_state (key, value) VALUES (${this.prefix + id}, ${json}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  }

  async delete(id: string): Promise<void> {
    await this.db.run(sql`DELETE FROM bot_state WHERE key = ${this.prefix + id}`);
  }
}
