/**
 * Opening the database: the schema comes up to date once however many processes open a fresh file at the same
 * instant; a database newer than the code is refused; every unusable DATABASE_PATH is refused naming it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/schema';
import { ConfigError } from '../../src/config-error';
import { built } from '../helpers/built';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sremuc-db-'))));
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * `count` node processes that each load the compiled store, say "ready", wait for the go file, then open `file`
 * at once. Resolves with what each printed ("ok" or its error).
 */
async function openTogether(file: string, count: number): Promise<string[]> {
  const go = path.join(dir, 'go');
  const script = `
    const fs = require('node:fs');
    const { openDatabase } = require(${JSON.stringify(built('src/store/db.ts'))});
    process.stdout.write('ready\\n');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(pause, 0, 0, 1);
    openDatabase(${JSON.stringify(file)}).then((db) => db.close()).then(
      () => process.stdout.write('ok\\n'),
      (e) => process.stdout.write(String(e && e.message) + '\\n'),
    );`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const outputs = children.map((child) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return { child, out: () => out, closed: new Promise<void>((resolve) => child.on('close', () => resolve())) };
  });
  while (!outputs.every((o) => o.out().includes('ready'))) await new Promise((resolve) => setTimeout(resolve, 10));
  writeFileSync(go, '');
  await Promise.all(outputs.map((o) => o.closed));
  return outputs.map((o) => o.out().replace('ready\n', '').trim());
}

describe('openDatabase', () => {
  it('brings a fresh database up to date when many processes open it at the same instant', async () => {
    const file = path.join(dir, 'fresh.db');
    const results = await openTogether(file, 12);
    expect(results).toEqual(Array(12).fill('ok'));
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('waits out another process that holds the file for longer than SQLite waits by itself (busy_timeout, 5 s)', async () => {
    const file = path.join(dir, 'held.db');
    const holder = spawn(
      process.execPath,
      ['-e', `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setTimeout(() => db.exec('COMMIT'), 6500);`],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve()));
    const db = await openDatabase(file);
    expect(await db.kysely.selectFrom('outbox').select('delivery_key').execute()).toEqual([]);
    await db.close();
    await new Promise((resolve) => holder.on('close', resolve));
  }, 30_000);

  it('upgrades a database from an older version, keeping its rows', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO cfp_submissions (platform, user_id, user_name, title, abstract, length, speaker, contact, created_at) VALUES ('slack','U1','u','T','A','20','S','c','2026-01-01')").run();
    old.close();
    await (await openDatabase(file)).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT title FROM cfp_submissions').all()).toEqual([{ title: 'T' }]);
    db.close();
  });

  it('upgrades a database left at every earlier version (1 to the last but one), keeping the rows each had', async () => {
    for (let version = 1; version < MIGRATIONS.length; version++) {
      const file = path.join(dir, `v${version}.db`);
      const old = new Database(file);
      // Exactly what that version's bot ran: the shipped steps as SQLite executed them.
      for (const step of MIGRATIONS.slice(0, version)) old.exec(step);
      old.pragma(`user_version = ${version}`);
      old.prepare("INSERT INTO cfp_submissions (platform, user_id, user_name, title, abstract, length, speaker, contact, created_at) VALUES ('slack','U1','u','T','A','20','S','c','2026-01-01')").run();
      if (version >= 3) old.prepare("INSERT INTO outbox (delivery_key, platform, channel, kind, due_at, payload, content_hash, status, created_at) VALUES ('k', 'slack', 'C1', 'rule', '2026-01-01', '{}', '', 'sent', '2026-01-01')").run();
      old.close();
      const db = await openDatabase(file);
      expect(await db.rows(sql`SELECT title FROM cfp_submissions`)).toEqual([{ title: 'T' }]);
      if (version >= 3) expect(await db.rows(sql`SELECT delivery_key, status, claimed_gen FROM outbox`)).toEqual([{ delivery_key: 'k', status: 'sent', claimed_gen: null }]);
      await db.close();
      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      raw.close();
    }
  });

  it('refuses a database written by a newer version of the bot, and leaves it as it was', async () => {
    const file = path.join(dir, 'newer.db');
    await (await openDatabase(file)).close();
    const newer = new Database(file);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    await expect(openDatabase(file)).rejects.toThrow(ConfigError);
    await expect(openDatabase(file)).rejects.toThrow(`DATABASE_PATH: ${file} has schema version ${MIGRATIONS.length + 1}, newer than this sremuc-bot knows (${MIGRATIONS.length})`);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    after.close();
  });

  it('refuses every DATABASE_PATH it cannot use, naming the variable, without spinning', async () => {
    const refused = async (file: string, why: RegExp) => {
      await expect(openDatabase(file)).rejects.toThrow(ConfigError);
      await expect(openDatabase(file)).rejects.toThrow(why);
    };
    await refused(dir, /^DATABASE_PATH: .* is a folder; give a file in it/);
    // Node's recursive mkdir never returns under /proc.
    await refused('/proc/x/bot.db', /^DATABASE_PATH: cannot create the folder \/proc\/x for \/proc\/x\/bot.db/);
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    await refused(path.join(file, 'bot.db'), /^DATABASE_PATH: .*a-file is a file, so .* cannot be created under it/);
    writeFileSync(path.join(dir, 'junk.db'), 'this is not a database, just text long enough to have a header of sorts'.repeat(20));
    await refused(path.join(dir, 'junk.db'), /^DATABASE_PATH: cannot use .*junk.db: .*SQLITE_NOTADB/);
  });

  it('refuses a folder the bot may not write', async () => {
    // root writes anywhere on a normal file system; sysfs refuses new files even to root.
    const readOnly = process.getuid?.() === 0 ? '/sys' : path.join(dir, 'ro');
    if (readOnly !== '/sys') {
      require('node:fs').mkdirSync(readOnly);
      chmodSync(readOnly, 0o555);
    }
    await expect(openDatabase(path.join(readOnly, 'bot.db'))).rejects.toThrow(/^DATABASE_PATH: cannot use .*bot.db: .*SQLITE_CANTOPEN.*may write/);
  });
});
