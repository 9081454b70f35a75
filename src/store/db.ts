import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type RawBuilder } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Where a query runs: the store itself, or the transaction open in this async context. */
export type Executor = Kysely<any>;

interface Open {
  executor: Executor;
  done: boolean;
}

export interface TransactionOptions {
  /**
   * Serialises transactions that name the same key (RSVP seats of one meetup). SQLite needs none: every write
   * transaction takes the database's write lock first (BEGIN IMMEDIATE). PostgreSQL takes an advisory lock on it.
   */
  lock?: string;
}

/**
 * The bot's database behind one query layer (Kysely): embedded SQLite (better-sqlite3) or PostgreSQL (pg). Stores
 * write their SQL once with Kysely's `sql` tag (placeholders and identifiers in each dialect's form) in the
 * subset both engines speak. A transaction is carried by the async context: every store call made inside
 * `transaction(work)` runs on that transaction without being handed it, so stores compose (an RSVP promotion and
 * the outbox row telling the member commit together).
 */
export class Db {
  private readonly current = new AsyncLocalStorage<Open>();

  constructor(
    readonly kysely: Executor,
    readonly dialect: Dialect,
    /** SQLite's file (':memory:' for tests), for backups; undefined for PostgreSQL. */
    readonly file: string | undefined,
    private readonly closeDriver: () => Promise<void>,
    private readonly beginSqlite: (executor: Executor) => Promise<void> = async (e) => void (await sql`BEGIN IMMEDIATE`.execute(e)),
  ) {}

  /** The executor for a query now: the open transaction of this async context, if any. */
  q(): Executor {
    const open = this.current.getStore();
    return open && !open.done ? open.executor : this.kysely;
  }

  get inTransaction(): boolean {
    const open = this.current.getStore();
    return open !== undefined && !open.done;
  }

  async rows<T>(query: RawBuilder<T>): Promise<T[]> {
    return (await query.execute(this.q())).rows;
  }

  async row<T>(query: RawBuilder<T>): Promise<T | undefined> {
    return (await query.execute(this.q())).rows[0];
  }

  /** Runs a statement; returns how many rows it changed. */
  async run(query: RawBuilder<unknown>): Promise<number> {
    return Number((await query.execute(this.q())).numAffectedRows ?? 0n);
  }

  /**
   * Runs `work` in one transaction (joining the one already open in this async context). SQLite: BEGIN IMMEDIATE,
   * so the write lock is taken before anything is read and concurrent writers (other processes) queue instead of
   * failing on a stale read. PostgreSQL: READ COMMITTED, plus an advisory lock when `lock` is given.
   */
  async transaction<T>(work: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction) return work();
    if (this.dialect === 'sqlite') {
      return this.kysely.connection().execute(async (connection) => {
        await this.beginSqlite(connection);
        const open: Open = { executor: connection, done: false };
        try {
          const result = await this.current.run(open, work);
          open.done = true;
          await sql`COMMIT`.execute(connection);
          return result;
        } catch (error) {
          open.done = true;
          await sql`ROLLBACK`.execute(connection).catch(() => undefined);
          throw error;
        }
      });
    }
    return this.kysely.transaction().execute(async (trx) => {
      const open: Open = { executor: trx, done: false };
      try {
        return await this.current.run(open, async () => {
          if (options.lock !== undefined) await sql`SELECT pg_advisory_xact_lock(hashtext(${options.lock}))`.execute(trx);
          return work();
        });
      } finally {
        open.done = true;
      }
    });
  }

  async close(): Promise<void> {
    await this.closeDriver();
  }
}

export { lazyDatabase, lazyPostgres, openConfigured, openDatabase, openPostgres } from './open';
