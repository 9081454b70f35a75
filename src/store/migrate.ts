import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config-error';

/**
 * Opens (creating if needed) a SQLite database and brings its schema up to `migrations.length`, safely when
 * several processes do it at once (two bots starting together on one fresh file, a backup during an upgrade):
 * the schema version is read and every missing step run inside one write transaction taken before the read
 * (BEGIN IMMEDIATE), so a second process waits and then finds the schema done. A database newer than the code
 * is refused rather than used. Every failure names DATABASE_PATH and says what to fix.
 */
export function openMigrated(file: string, migrations: readonly string[]): Database.Database {
  if (file !== ':memory:') prepareFile(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw databaseError(file, error);
  }
  try {
    // Waiting for another process's lock must be set up before anything that takes one (WAL needs one).
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, file);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof ConfigError ? error : databaseError(file, error);
  }
}

function migrate(db: Database.Database, migrations: readonly string[], file: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new ConfigError(
        `DATABASE_PATH: ${file} has schema version ${current}, newer than this sremuc-bot knows (${migrations.length}). ` +
          'It was used by a newer version: run that version again, or restore the backup taken before the upgrade.',
      );
    }
    for (let step = current; step < migrations.length; step++) db.exec(migrations[step]!);
    // Written even when nothing ran: a database the bot cannot write fails here, at start-up, not at the first post.
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

/**
 * Creates the database's folder one level at a time. (Node's recursive mkdir loops forever under /proc, and a
 * path through a file would give an unhelpful error.)
 */
function prepareFile(file: string): void {
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

function databaseError(file: string, error: unknown): ConfigError {
  const code = (error as { code?: string }).code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN'
      ? 'check that the file and its folder exist and the bot’s user may write both (SQLite writes -wal and -shm files next to it)'
      : code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
        ? 'it is not a SQLite database the bot can use: point DATABASE_PATH at the bot’s own file, or restore a backup'
        : 'check the path and the file';
  return new ConfigError(`DATABASE_PATH: cannot use ${file}: ${reason} (${code || 'error'}); ${hint}`);
}
