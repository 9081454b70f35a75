import type { Db } from '../store/db';

const PREFIX = 'removal:';

/**
 * Where removed posts' records live: one bot_state row each (`removal:<event id>` → JSON), read once at start
 * and written on every change. Async on purpose, so a database reached over the network fits the same calls.
 */
export class RemovalStore {
  constructor(private readonly db: Db) {}

  async all(): Promise<{ id: string; json: string }[]> {
    const rows = this.db.prepare('SELECT key, value FROM bot_state WHERE key LIKE ? ORDER BY key').all(`${PREFIX}%`) as { key: string; value: string }[];
    return rows.map((r) => ({ id: r.key.slice(PREFIX.length), json: r.value }));
  }

  async put(id: string, json: string): Promise<void> {
    this.db.prepare('INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(PREFIX + id, json);
  }

  async delete(id: string): Promise<void> {
    this.db.prepare('DELETE FROM bot_state WHERE key = ?').run(PREFIX + id);
  }
}
