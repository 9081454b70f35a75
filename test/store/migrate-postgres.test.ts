/**
 * Opening a PostgreSQL database (DATABASE_URL): replicas starting together on a fresh schema migrate it once under
 * the advisory lock; a schema newer than the code is refused; a server it cannot use is refused naming
 * DATABASE_URL without its password. Runs in the postgres project only (the SQLite side is migrate.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { MIGRATIONS, openPostgres } from '../../src/store/db';
import { ConfigError } from '../../src/config-error';
import { PG_URL } from '../helpers/db';

const url = PG_URL!;
const schema = () => `m_${randomBytes(5).toString('hex')}`;

describe('openPostgres', () => {
  it('brings a fresh schema up to date once when eight replicas open it at the same instant', async () => {
    const name = schema();
    const opened = await Promise.allSettled(Array.from({ length: 8 }, () => openPostgres(url, { schema: name, max: 1 })));
    const dbs = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    try {
      expect(opened.filter((o) => o.status === 'rejected')).toEqual([]);
      const versions = await dbs[0]!.rows(sql<{ version: number }>`SELECT version FROM schema_version`);
      expect(versions).toEqual([{ version: MIGRATIONS.length }]);
      // Every replica sees the same, usable schema.
      await dbs[3]!.run(sql`INSERT INTO bot_state (key, value) VALUES ('k', 'v')`);
      expect(await dbs[7]!.row(sql`SELECT value FROM bot_state WHERE key = 'k'`)).toEqual({ value: 'v' });
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  it('opens a migrated schema again without running a step twice, and refuses one newer than the code', async () => {
    const name = schema();
    await (await openPostgres(url, { schema: name })).close();
    await (await openPostgres(url, { schema: name })).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`UPDATE ${name}.schema_version SET version = ${MIGRATIONS.length + 1}`);
    } finally {
      await client.end();
    }
    const opening = openPostgres(url, { schema: name });
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(`DATABASE_URL: the database has schema version ${MIGRATIONS.length + 1}, newer than this sremuc-bot knows (${MIGRATIONS.length})`);
  });

  it('refuses a server it cannot reach, naming DATABASE_URL and hiding the password', async () => {
    const opening = openPostgres('postgres://sremuc:s3cret@127.0.0.1:1/sremuc');
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(/^DATABASE_URL: cannot use the PostgreSQL database at postgres:\/\/sremuc:\*\*\*@127\.0\.0\.1:1\/sremuc: .*check that the server runs/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });
});
