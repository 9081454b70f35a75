/** Jest global tear-down: drops the run's throw-away PostgreSQL database (see pg-setup.ts). */
import pg from 'pg';
import { ADMIN_URL } from './pg-setup';

export default async function teardown(): Promise<void> {
  const name = process.env.SREMUC_PG_RUN_DB;
  if (!name) return;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    // Connections a killed test process left behind must not keep the database alive.
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
