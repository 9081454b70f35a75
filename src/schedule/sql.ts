import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db';

/**
 * One prepared statement per SQL text and connection, reused for every call (better-sqlite3 statements are
 * reusable), so the stores can write their SQL where they use it.
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
