/**
 * `npm run backup`: SQLite's online backup of the live database, checked before it is put in place.
 */
import { sql } from 'kysely';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/schema';
import { backupDatabase, defaultBackupFile } from '../../src/store/backup';
import { built, ROOT } from '../helpers/built';

let dir: string;
let live: Db;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-backup-'));
  live = await openDatabase(path.join(dir, 'bot.db'));
  await live.run(sql`INSERT INTO bot_state (key, value) VALUES ('before', '1')`);
});
afterEach(async () => {
  await live.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return { state: db.prepare('SELECT key FROM bot_state ORDER BY key').all(), version: db.pragma('user_version', { simple: true }) };
  } finally {
    db.close();
  }
};

describe('backupDatabase', () => {
  it('copies the live database, WAL content included, while the bot keeps its connection open', async () => {
    // Still in the -wal file: a copy of bot.db alone would miss it.
    await live.run(sql`INSERT INTO bot_state (key, value) VALUES ('in-wal', '2')`);
    const result = await backupDatabase(path.join(dir, 'bot.db'), path.join(dir, 'copy.db'));
    expect(result).toMatchObject({ file: path.join(dir, 'copy.db'), schemaVersion: MIGRATIONS.length });
    expect(result.bytes).toBeGreaterThan(0);
    expect(rows(result.file)).toEqual({ state: [{ key: 'before' }, { key: 'in-wal' }], version: MIGRATIONS.length });
    // The bot goes on writing afterwards; the copy is a snapshot.
    await live.run(sql`INSERT INTO bot_state (key, value) VALUES ('after', '3')`);
    expect(rows(result.file).state).toHaveLength(2);
  });

  it('never overwrites a file, and leaves no partial copy behind when it fails', async () => {
    await backupDatabase(path.join(dir, 'bot.db'), path.join(dir, 'copy.db'));
    await expect(backupDatabase(path.join(dir, 'bot.db'), path.join(dir, 'copy.db'))).rejects.toThrow('already exists');
    await expect(backupDatabase(path.join(dir, 'missing.db'), path.join(dir, 'other.db'))).rejects.toThrow(/^DATABASE_PATH: .*missing.db does not exist/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('names default copies by UTC time in backups/ next to the database', () => {
    expect(defaultBackupFile('/var/lib/sremuc-bot/sremuc.db', new Date('2026-12-02T04:15:00.123Z'))).toBe('/var/lib/sremuc-bot/backups/sremuc-20261202T041500Z.db');
  });
});

describe('npm run backup', () => {
  it('backs up DATABASE_PATH into backups/ and says where', () => {
    const result = spawnSync(process.execPath, [built('src/cli/backup.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_PATH: path.join(dir, 'bot.db') },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [copy] = readdirSync(path.join(dir, 'backups'));
    expect(copy).toMatch(/^bot-\d{8}T\d{6}Z\.db$/);
    expect(result.stdout).toContain(`backed up ${path.join(dir, 'bot.db')} to ${path.join(dir, 'backups', copy!)}`);
    expect(result.stdout).toContain(`schema version ${MIGRATIONS.length}`);
    expect(existsSync(path.join(dir, 'backups', copy!))).toBe(true);
  });
});
