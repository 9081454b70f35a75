import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db';

/**
 * Prepares each SQL text once per connection: the scheduler runs the same few statements every minute, and
 * preparing costs more than running them.
 */
export function statementCache(db: Db): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
