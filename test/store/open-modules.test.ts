/**
 * A bot on SQLite never loads the PostgreSQL driver: its modules would only take memory. Checked in a fresh node
 * process on the build, as `npm start` runs it (jest's own module registry would not tell).
 */
import { execFileSync } from 'node:child_process';
import { built } from '../helpers/built';

function loadedAfterSqliteQuery(): { pg: boolean; answer: unknown } {
  const script = `
    const { openDatabase } = require(${JSON.stringify(built('src/store/open.ts'))});
    const { sql } = require('kysely');
    (async () => {
      const db = await openDatabase(':memory:');
      const { rows } = await sql\`SELECT 1 + 1 AS answer\`.execute(db.kysely);
      await db.close();
      const pg = Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(file));
      process.stdout.write(JSON.stringify({ pg, answer: rows[0].answer }));
    })();
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' })) as { pg: boolean; answer: unknown };
}

describe('openDatabase on SQLite', () => {
  it('answers queries without loading pg', () => {
    expect(loadedAfterSqliteQuery()).toEqual({ pg: false, answer: 2 });
  });
});
