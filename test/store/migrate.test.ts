/**
 * Opening the database: the schema comes up to date once however many processes open a fresh file at the same
 * instant; a database newer than the code is refused; every unusable DATABASE_PATH is refused naming it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, openDatabase } from '../../src/store/db';
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
    try { openDatabase(${JSON.stringify(file)}).close(); process.stdout.write('ok\\n'); }
    catch (e) { process.stdout.write(String(e && e.message) + '\\n'); }`;
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

  it('upgrades a database from an older version, keeping its rows', () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO cfp_submissions (platform, user_id, user_name, title, abstract, length, speaker, contact, created_at) VALUES ('slack','U1','u','T','A','20','S','c','2026-01-01')").run();
    old.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT title FROM cfp_submissions').all()).toEqual([{ title: 'T' }]);
    db.close();
  });

  it('refuses a database written by a newer version of the bot, and leaves it as it was', () => {
    const file = path.join(dir, 'newer.db');
    openDatabase(file).close();
    const newer = new Database(file);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => openDatabase(file)).toThrow(ConfigError);
    expect(() => openDatabase(file)).toThrow(`DATABASE_PATH: ${file} has schema version ${MIGRATIONS.length + 1}, newer than this sremuc-bot knows (${MIGRATIONS.length})`);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    after.close();
  });

  it('refuses every DATABASE_PATH it cannot use, naming the variable, without spinning', () => {
    const refused = (file: string, why: RegExp) => {
      expect(() => openDatabase(file)).toThrow(ConfigError);
      expect(() => openDatabase(file)).toThrow(why);
    };
    refused(dir, /^DATABASE_PATH: .* is a folder; give a file in it/);
    // Node's recursive mkdir never returns under /proc.
    refused('/proc/x/bot.db', /^DATABASE_PATH: cannot create the folder \/proc\/x for \/proc\/x\/bot.db/);
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    refused(path.join(file, 'bot.db'), /^DATABASE_PATH: .*a-file is a file, so .* cannot be created under it/);
    writeFileSync(path.join(dir, 'junk.db'), 'this is not a database, just text long enough to have a header of sorts'.repeat(20));
    refused(path.join(dir, 'junk.db'), /^DATABASE_PATH: cannot use .*junk.db: .*SQLITE_NOTADB/);
  });

  it('refuses a folder the bot may not write', () => {
    // root writes anywhere on a normal file system; sysfs refuses new files even to root.
    const readOnly = process.getuid?.() === 0 ? '/sys' : path.join(dir, 'ro');
    if (readOnly !== '/sys') {
      require('node:fs').mkdirSync(readOnly);
      chmodSync(readOnly, 0o555);
    }
    expect(() => openDatabase(path.join(readOnly, 'bot.db'))).toThrow(/^DATABASE_PATH: cannot use .*bot.db: .*SQLITE_CANTOPEN.*may write/);
  });
});
