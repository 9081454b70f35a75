import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import { Db } from './db';
import { MIGRATIONS } from './schema';
import { migratePostgres, migrateSqlite, prepareFile, sqliteError } from './migrate';
import { ConfigError } from '../config-error';

/**
 * Opens (creating if needed) a SQLite database file and brings the schema up to date, safely when several
 * processes do it at once; refuses a database newer than the code (see migrate.ts). ":memory:" works for tests.
 */
export async function openDatabase(file: string, migrations: readonly string[] = MIGRATIONS): Promise<Db> {
  const raw = await openSqliteFile(file, migrations);
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
  return new Db(kysely, 'sqlite', file, () => kysely.destroy());
}

/** The same, opened (and migrated) at the first query: for parts built synchronously, such as test services. */
export function lazyDatabase(file: string, migrations: readonly string[] = MIGRATIONS): Db {
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: async () => openSqliteFile(file, migrations) }) });
  return new Db(kysely, 'sqlite', file, () => kysely.destroy());
}

/** How long processes opening one file together keep retrying before the last one gives up. */
const BUSY_GIVE_UP_MS = 20_000;

/**
 * busy_timeout makes SQLite wait for another process's lock, but not always: switching a fresh file to WAL, or
 * taking the write lock while another process does, can fail at once with SQLITE_BUSY (SQLite's deadlock
 * avoidance skips the wait). Replicas starting together on one file must all come up, so a busy open is retried
 * from the start after a short random pause until BUSY_GIVE_UP_MS has passed.
 */
async function openSqliteFile(file: string, migrations: readonly string[]): Promise<Database.Database> {
  const giveUpAt = Date.now() + BUSY_GIVE_UP_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return openSqliteFileOnce(file, migrations);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const busy = String((error as { code?: string }).code).startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= giveUpAt) throw sqliteError(file, error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, 10 * attempt) * (0.5 + Math.random())));
    }
  }
}

/** Opens, sets up and migrates `file`, or closes it again and throws SQLite's own error. */
function openSqliteFileOnce(file: string, migrations: readonly string[]): Database.Database {
  if (file !== ':memory:') prepareFile(file);
  const raw = new Database(file);
  try {
    // Waiting for another process's lock must be set up before anything that takes one (WAL needs one).
    raw.pragma('busy_timeout = 5000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    migrateSqlite(raw, migrations, file);
    return raw;
  } catch (error) {
    raw.close();
    throw error;
  }
}

export interface PostgresOptions {
  /** Tables go into this schema (created if missing) instead of the connection's default: one per test file. */
  schema?: string;
  /** Connections in the pool. */
  max?: number;
  idleTimeoutMillis?: number;
}

/**
 * Connects to PostgreSQL at `url` (DATABASE_URL) and brings the schema up to date under an advisory lock, so
 * replicas starting together migrate once. Fails naming DATABASE_URL when the server cannot be reached.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}, migrations: readonly string[] = MIGRATIONS): Promise<Db> {
  const db = lazyPostgres(url, options, migrations);
  try {
    await sql`SELECT 1`.execute(db.kysely);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/** The same, connected and migrated at the first query. */
export function lazyPostgres(url: string, options: PostgresOptions = {}, migrations: readonly string[] = MIGRATIONS): Db {
  const pool = async () => {
    // pg is loaded only here, so a bot on SQLite never loads its modules (they would sit in memory unused).
    const { default: pgModule } = await import('pg');
    const created = new pgModule.Pool({
      connectionString: url,
      max: options.max ?? 10,
      idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
      // Idle connections must not keep a finished CLI or test process alive.
      allowExitOnIdle: true,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle connection the server drops (restart, failover) must not crash the process; the pool reconnects.
    created.on('error', () => undefined);
    try {
      const client = await created.connect();
      try {
        if (options.schema) await createSchema(client, options.schema);
        await migratePostgres(client, migrations);
      } finally {
        client.release();
      }
    } catch (error) {
      await created.end().catch(() => undefined);
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(
        `DATABASE_URL: cannot use the PostgreSQL database at ${redact(url)}: ${error instanceof Error ? error.message : String(error)}; ` +
          'check that the server runs, the database exists and the user may create tables in it',
      );
    }
    return created;
  };
  const kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return new Db(kysely, 'postgres', undefined, () => kysely.destroy());
}

/**
 * CREATE SCHEMA IF NOT EXISTS is not safe against itself: two connections creating the same schema at once can
 * fail on the catalogue's unique index. Whichever lost, the schema exists, which is all that is needed.
 */
async function createSchema(client: pg.PoolClient, schema: string): Promise<void> {
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function openConfigured(config: { databaseUrl?: string; databasePath: string }): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openDatabase(config.databasePath);
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
