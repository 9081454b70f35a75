/**
 * Jest global set-up: a throw-away PostgreSQL database for this test run, sremuc_test_<pid>_<time>, on the server
 * SREMUC_TEST_POSTGRES_URL names (default postgres://postgres@127.0.0.1:5432/postgres, as .ci/run starts it). The
 * postgres project's tests find it in SREMUC_TEST_DATABASE_URL (test/helpers/pg-env.ts) and each opens schemas of
 * its own in it; pg-teardown.ts drops the database after the run.
 */
import pg from 'pg';

export const ADMIN_URL = process.env.SREMUC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(): Promise<void> {
  const name = `sremuc_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The postgres half of the tests needs a PostgreSQL server at ${ADMIN_URL}: ${error instanceof Error ? error.message : String(error)}.\n` +
        `Start the installed one (sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), ` +
        `point SREMUC_TEST_POSTGRES_URL at another, or run only the SQLite half: npx jest --selectProjects sqlite`,
    );
  }
  try {
    // C collation: text compares byte-wise, as in SQLite, whatever the server's default locale.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    // A throw-away database need not survive a server crash: commits return without waiting for the disk. Every
    // transaction is still atomic and isolated as in production; only the tests' thousands of small commits get cheaper.
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.SREMUC_PG_RUN_URL = url.toString();
  process.env.SREMUC_PG_RUN_DB = name;
}
