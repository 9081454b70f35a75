import { sql, type Kysely, type RawBuilder } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Where a query runs: the store itself, or an open transaction. */
export type Executor = Kysely<any>;

/** What a Db handed to a transaction's work knows of it. */
interface Open {
  /** The store the transaction was opened on: used once it has ended. */
  root: Db;
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
 * subset both engines speak. `transaction(work)` hands `work` a Db bound to the transaction; a store built on
 * that Db (or handed it) queries inside the transaction, and a transaction opened on it joins the one open, so
 * stores compose (an RSVP promotion and the outbox row telling the member commit together). The transaction is
 * passed explicitly rather than found in the async context: async context tracking slows every promise in the
 * process, chat events included, once it is first used.
 */
export class Db {
  constructor(
    readonly kysely: Executor,
    readonly dialect: Dialect,
    /** SQLite's file (':memory:' for tests), for backups; undefined for PostgreSQL. */
    readonly file: string | undefined,
    private readonly closeDriver: () => Promise<void>,
    private readonly beginSqlite: (executor: Executor) => Promise<void> = async (e) => void (await sql`BEGIN IMMEDIATE`.execute(e)),
    /** Set on the Db a transaction hands its work. */
    private readonly open?: Open,
  ) {}

  /**
   * The executor for a query now: this Db's transaction while it is open; once it has ended (work that outlived
   * it), the store it was opened on.
   */
  q(): Executor {
    return this.open?.done ? this.open.root.kysely : this.kysely;
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
   * Runs `work` in one transaction, handing it the Db to query through (joining this Db's transaction when it is
   * one that is still open). SQLite: BEGIN IMMEDIATE, so the write lock is taken before anything is read and
   * concurrent writers (other processes) queue instead of failing on a stale read. PostgreSQL: READ COMMITTED, plus
   * an advisory lock when `lock` is given.
   */
  async transaction<T>(work: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.open) return this.open.done ? this.open.root.transaction(work, options) : work(this);
    if (this.dialect === 'sqlite') {
      return this.kysely.connection().execute(async (connection) => {
        await this.beginSqlite(connection);
        const open: Open = { root: this, done: false };
        try {
          const result = await work(this.bound(connection, open));
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
      const open: Open = { root: this, done: false };
      try {
        if (options.lock !== undefined) await sql`SELECT pg_advisory_xact_lock(hashtext(${options.lock}))`.execute(trx);
        return await work(this.bound(trx, open));
      } finally {
        open.done = true;
      }
    });
  }

  private bound(executor: Executor, open: Open): Db {
    return new Db(executor, this.dialect, this.file, this.closeDriver, this.beginSqlite, open);
  }

  async close(): Promise<void> {
    await this.closeDriver();
  }
}

export { lazyDatabase, lazyPostgres, openConfigured, openDatabase, openPostgres } from './open';
