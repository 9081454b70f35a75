import type Database from 'better-sqlite3';
import type pg from 'pg';
import { migrationStatements } from './schema';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config-error';

/**
 * SQLite: the schema version is read and every missing step run inside one write transaction taken before the
 * read (BEGIN IMMEDIATE), so a second process opening the same fresh file waits and then finds the schema done
 * (two bots starting together, a backup during an upgrade). A database newer than the code is refused rather than
 * used. Every failure names DATABASE_PATH and says what to fix.
 */
export function migrateSqlite(db: Database.Database, migrations: readonly string[], file: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) throw newerError('DATABASE_PATH', file, current, migrations.length);
    for (let step = current; step < migrations.length; step++) for (const statement of migrationStatements(migrations[step]!, 'sqlite')) db.exec(statement);
    // Written even when nothing ran: a database the bot cannot write fails here, at start-up, not at the first post.
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

/**
 * Any number; the same for every replica, so concurrent migrations queue on it. Paired with the schema's name:
 * replicas of one bot share a schema and so a lock, while bots in other schemas of the same database (one per
 * test, or per community) migrate without waiting for each other.
 */
const MIGRATION_LOCK = 7_318_204;

/**
 * PostgreSQL: the same steps, in one transaction under an advisory lock (pg_advisory_xact_lock), so replicas that
 * start together migrate once; the version lives in a one-row table schema_version. DDL is transactional in
 * PostgreSQL, so a step that fails leaves the schema as it was.
 */
export async function migratePostgres(client: pg.ClientBase, migrations: readonly string[]): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) throw newerError('DATABASE_URL', 'the database', current, migrations.length);
    for (let step = current; step < migrations.length; step++) for (const statement of migrationStatements(migrations[step]!, 'postgres')) await client.query(statement);
    if (rows[0]) await client.query('UPDATE schema_version SET version = $1', [migrations.length]);
    else await client.query('INSERT INTO schema_version (version) VALUES ($1)', [migrations.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function newerError(variable: string, what: string, current: number, known: number): ConfigError {
  return new ConfigError(
    `${variable}: ${what} has schema version ${current}, newer than this sremuc-bot knows (${known}). ` +
      'It was used by a newer version: run that version again, or restore the backup taken before the upgrade.',
  );
}

/**
 * Creates the database's folder one level at a time. (Node's recursive mkdir loops forever under /proc, and a
 * path through a file would give an unhelpful error.)
 */
export function prepareFile(file: string): void {
  const full = path.resolve(file);
  if (existsSync(full) && statSync(full).isDirectory()) {
    throw new ConfigError(`DATABASE_PATH: ${file} is a folder; give a file in it, e.g. ${path.join(file, 'sremuc.db')}`);
  }
  const missing: string[] = [];
  let dir = path.dirname(full);
  while (!existsSync(dir)) {
    missing.unshift(dir);
    dir = path.dirname(dir);
  }
  if (!statSync(dir).isDirectory()) throw new ConfigError(`DATABASE_PATH: ${dir} is a file, so ${file} cannot be created under it`);
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      throw new ConfigError(`DATABASE_PATH: cannot create the folder ${folder} for ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); create it, or point DATABASE_PATH somewhere the bot may write`);
    }
  }
}

export function sqliteError(file: string, error: unknown): ConfigError {
  const code = (error as { code?: string }).code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN'
      ? 'check that the file and its folder exist and the bot’s user may write both (SQLite writes -wal and -shm files next to it)'
      : code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
        ? 'it is not a SQLite database the bot can use: point DATABASE_PATH at the bot’s own file, or restore a backup'
        : code.startsWith('SQLITE_BUSY')
          ? 'another process kept it locked for 20 s: stop whatever holds it (a long backup, a SQLite shell in a transaction) and start again'
          : 'check the path and the file';
  return new ConfigError(`DATABASE_PATH: cannot use ${file}: ${reason} (${code || 'error'}); ${hint}`);
}
