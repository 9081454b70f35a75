import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config-error';

export interface BackupResult {
  file: string;
  bytes: number;
  /** The schema version the copy carries (PRAGMA user_version): what a restore brings back. */
  schemaVersion: number;
}

/**
 * Copies a live database with SQLite's online backup API (better-sqlite3's db.backup): a consistent snapshot
 * while the bot keeps reading and writing, WAL content included, which copying the file would not give. The copy
 * is written next to its destination under a temporary name, checked (PRAGMA integrity_check) and only then
 * renamed into place, so a half-written or broken backup never looks like a good one.
 */
export async function backupDatabase(source: string, destination: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new ConfigError(`DATABASE_PATH: ${source} does not exist; nothing to back up`);
  mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  if (existsSync(destination)) throw new Error(`${destination} already exists; give a new file name`);
  const partial = `${destination}.partial`;
  // Read-only: a backup must never migrate or otherwise change the database it copies.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  const copy = new Database(partial, { readonly: true });
  let schemaVersion: number;
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed SQLite's integrity check: ${String(check)}`);
    schemaVersion = copy.pragma('user_version', { simple: true }) as number;
  } finally {
    copy.close();
  }
  renameSync(partial, destination);
  return { file: destination, bytes: statSync(destination).size, schemaVersion };
}

/** backups/sremuc-20261202T041500Z.db next to the database: sortable, one per run. */
export function defaultBackupFile(database: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(path.dirname(path.resolve(database)), 'backups', `${path.basename(database, path.extname(database))}-${stamp}.db`);
}
