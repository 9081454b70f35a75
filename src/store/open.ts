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
  const raw = openSqliteFile(file, migrations);
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
  return new Db(kysely, 'sqlite', file, () => kysely.destroy());
}

/** The same, opened (and migrated) at the first query: for parts built synchronously, such as test services. */
export function lazyDatabase(file: string, migrations: readonly string[] = MIGRATIONS): Db {
  const kysely = new Kysely({ dialect: new SqliteDialect({ database: async () => openSqliteFile(file, migrations) }) });
  return new Db(kysely, 'sqlite', file, () => kysely.destroy());
}

function openSqliteFile(file: string, migrations: readonly string[]): Database.Database {
  if (file !== ':memory:') prepareFile(file);
  let raw: Database.Database;
  try {
    raw = new Database(file);
  } catch (error) {
    throw sqliteError(file, error);
  }
  try {
    // Waiting for another process's lock must be set up before anything that takes one (WAL needs one).
    raw.pragma('busy_timeout = 5000');
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    migrateSqlite(raw, migrations, file);
    return raw;
  } catch (error) {
    raw.close();
    throw error instanceof ConfigError ? error : sqliteError(file, error);
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
