/**
 * The database a test runs against. The same suites run twice (jest.config.js projects): on SQLite, and on a
 * real PostgreSQL server when SREMUC_TEST_DATABASE_URL names the throw-away database that test/helpers/pg-setup.ts
 * created for the run. On PostgreSQL every test database is a schema of its own, so files and tests running in
 * parallel never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { lazyDatabase, lazyPostgres, openDatabase, openPostgres, type Db } from '../../src/store/db';

export const PG_URL = process.env.SREMUC_TEST_DATABASE_URL;
export const backend: 'sqlite' | 'postgres' = PG_URL ? 'postgres' : 'sqlite';

/** A database of one's own, empty but for the schema: SQLite in memory, or a fresh PostgreSQL schema. */
export function memoryDb(): Promise<Db> {
  return PG_URL ? openPostgres(PG_URL, { schema: freshSchema(), max: 4, idleTimeoutMillis: 1_000 }) : openDatabase(':memory:');
}

/**
 * One database that several connections (or processes) open: a SQLite file in `dir`, or one PostgreSQL schema.
 * `env` is what a spawned bot needs to open the same one.
 */
export interface SharedDb {
  open(): Promise<Db>;
  /** Another connection, opened at its first query (for parts built synchronously). */
  lazy(): Db;
  /** SQLite's file; undefined on PostgreSQL. */
  file?: string;
  env: Record<string, string>;
}

export function sharedDb(dir: string, name = 'bot.db'): SharedDb {
  if (!PG_URL) {
    const file = path.join(dir, name);
    return { file, open: () => openDatabase(file), lazy: () => lazyDatabase(file), env: { DATABASE_PATH: file } };
  }
  const schema = freshSchema();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const options = { schema, max: 4, idleTimeoutMillis: 1_000 };
  return { open: () => openPostgres(PG_URL, options), lazy: () => lazyPostgres(PG_URL, options), env: { DATABASE_URL: url.toString() } };
}

/**
 * The environment for a bot (spawned `npm start`, or loadConfig in-process) with a database of its own: on SQLite
 * the file dir/var/bot.db; on PostgreSQL a fresh schema (created here, as the bot creates no schema itself), with
 * DATABASE_PATH still naming dir/var/, where the bot keeps its log file and imported calendars.
 */
export async function botDatabaseEnv(dir: string): Promise<Record<string, string>> {
  const env = { DATABASE_PATH: path.join(dir, 'var', 'bot.db') };
  if (!PG_URL) return env;
  const schema = freshSchema();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { ...env, DATABASE_URL: url.toString() };
}

function freshSchema(): string {
  return `t_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** memoryDb() for parts built synchronously: connects (and migrates) at the first query. */
export function lazyMemoryDb(): Db {
  if (!PG_URL) return lazyDatabase(':memory:');
  const db = lazyPostgres(PG_URL, { schema: freshSchema(), max: 4, idleTimeoutMillis: 1_000 });
  // Connect and migrate now, in the background, as a bot does at start-up: a first command must not wait for a
  // fresh schema's migrations inside its 3-second answer window. Its failure surfaces at the first real query.
  void sql`SELECT 1`.execute(db.kysely).catch(() => undefined);
  return db;
}
