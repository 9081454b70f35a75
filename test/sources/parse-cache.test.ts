import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import path from 'node:path';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import pino from 'pino';
import { systemClock } from '../../src/clock';
import type { Db } from '../../src/store/db';
import { loadData, type LoadOptions, type LoadResult } from '../../src/sources/load';
import { checksumOf, ParseCache } from '../../src/sources/parse-cache';
import { forgetUnconfiguredCommunities, ParseCacheStore } from '../../src/sources/parse-cache-store';
import { openEventsSource } from '../../src/sources/source';
import { memoryDb, sharedDb } from '../helpers/db';
import { tempDataDir } from './temp-data';

/**
 * The parse cache across restarts: rows read before the load, results written after it. "Parsed" is the cache's
 * count of files it had to read with the parser (neither in memory nor in an intact row).
 */
const OTHER = process.env.EVENTS_OTHER ?? '/work/shared/events-other';
const PROFILES = path.join(__dirname, '..', 'fixtures', 'profiles');
const COMMUNITIES = readdirSync(PROFILES).map((f) => f.replace(/\.yml$/, '')).sort();

/** One start: the community's rows, a load, the write. */
async function start(db: Db, dir: string, options: LoadOptions = {}, community = ''): Promise<{ result: LoadResult; parsed: number }> {
  const store = new ParseCacheStore(db, community);
  const stored = await store.read();
  const cache = new ParseCache(stored);
  const result = loadData(dir, { ...options, cache });
  // The rows' JSON is let go once the load has consulted it.
  expect(stored.size).toBe(0);
  await cache.persist((changes) => store.save(changes));
  return { result, parsed: cache.parses };
}

/** What a load gave, with DateTimes as their instant and zone (their lazily filled caches are not content). */
function plain(value: unknown): unknown {
  if (DateTime.isDateTime(value)) return { iso: value.toISO(), zone: value.zoneName, ms: value.toMillis() };
  if (value instanceof Map) return [...value].map(plain);
  if (Array.isArray(value)) return value.map(plain);
  // JSON has no undefined: a key holding undefined and a missing key are the same value.
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  return value;
}

const outcome = (r: LoadResult) => plain({ events: r.catalogue.events, files: r.files, diagnostics: r.diagnostics, settings: r.settings });

async function rows(db: Db, community = ''): Promise<{ file: string; cache_key: string; result: string; checksum: string }[]> {
  return db.rows(sql<{ file: string; cache_key: string; result: string; checksum: string }>`SELECT file, cache_key, result, checksum FROM parse_cache WHERE community = ${community} ORDER BY file`);
}

describe('parse cache', () => {
  let db: Db;
  beforeEach(async () => {
    db = await memoryDb();
  });
  afterEach(() => db.close());

  it('a restart with unchanged posts parses none; a one-byte change re-parses that file; a profile change every file', async () => {
    const tmp = tempDataDir({ copyReal: true });
    try {
      const cold = await start(db, tmp.dir);
      const posts = [...cold.result.files.keys()];
      expect(posts.length).toBeGreaterThanOrEqual(13);
      expect(cold.parsed).toBe(posts.length);
      expect((await rows(db)).map((r) => r.file)).toEqual(posts.sort());

      const warm = await start(db, tmp.dir);
      expect(warm.parsed).toBe(0);
      expect(outcome(warm.result)).toEqual(outcome(cold.result));

      const file = path.join(tmp.dir, 'events', 'sre-munich-summer-event-2024.md');
      tmp.write('events/sre-munich-summer-event-2024.md', readFileSync(file, 'utf8').replace('July 10th', 'July 11th'));
      const edited = await start(db, tmp.dir);
      expect(edited.parsed).toBe(1);
      expect(edited.result.catalogue.byId('sre-munich-summer-event-2024')!.start.toISODate()).toBe('2024-07-11');
      expect((await start(db, tmp.dir)).parsed).toBe(0);

      const settings = readFileSync(path.join(tmp.dir, 'settings.yml'), 'utf8');
      tmp.write('settings.yml', `${settings}\nsource:\n  defaultDurationMinutes: 150\n`);
      const profiled = await start(db, tmp.dir);
      expect(profiled.parsed).toBe(posts.length);
      expect((await start(db, tmp.dir)).parsed).toBe(0);

      // A removed post's row goes: the cache holds only current files.
      rmSync(file);
      expect((await start(db, tmp.dir)).parsed).toBe(0);
      expect((await rows(db)).map((r) => r.file)).not.toContain('events/sre-munich-summer-event-2024.md');
      expect(await rows(db)).toHaveLength(posts.length - 1);
    } finally {
      tmp.cleanup();
    }
  });

  it('a damaged row is parsed again and rewritten, never trusted', async () => {
    const tmp = tempDataDir({ copyReal: true });
    try {
      const cold = await start(db, tmp.dir);
      const file = 'events/sre-munich-summer-event-2024.md';
      const [row] = (await rows(db)).filter((r) => r.file === file);
      const wrongTitle = row!.result.replace('"SRE Munich at Celonis 2024"', '"Somewhere else"');
      const wrongShape = row!.result.replace(/"start":\{"\$dt":"[^"]*"/, '"start":{"$dt":"not a time"');
      expect(wrongTitle).not.toBe(row!.result);
      expect(wrongShape).not.toBe(row!.result);
      const damage = [
        { result: 'garbage', checksum: row!.checksum },
        { result: row!.result.slice(0, 100), checksum: row!.checksum },
        { result: wrongTitle, checksum: row!.checksum },
        // Checksums that fit, over contents this code never writes:
        { result: wrongShape, checksum: checksumOf(file, row!.cache_key, wrongShape) },
        { result: '{"v":1,"diagnostics":[],"event":{"id":"x"}}', checksum: checksumOf(file, row!.cache_key, '{"v":1,"diagnostics":[],"event":{"id":"x"}}') },
        { result: row!.result, checksum: 'bad' },
      ];
      for (const d of damage) {
        await db.run(sql`UPDATE parse_cache SET result = ${d.result}, checksum = ${d.checksum} WHERE file = ${file}`);
        const again = await start(db, tmp.dir);
        expect(again.parsed).toBe(1);
        expect(outcome(again.result)).toEqual(outcome(cold.result));
        expect((await rows(db)).find((r) => r.file === file)).toEqual(row);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it.each(COMMUNITIES)('%s: warm equals cold, every file, nothing parsed', async (name) => {
    if (!existsSync(path.join(OTHER, name))) throw new Error(`${OTHER}/${name} is missing: set EVENTS_OTHER to the shared events-other folder`);
    const options = { settingsFile: path.join(PROFILES, `${name}.yml`), events: { dir: path.join(OTHER, name), prefix: 'events' } };
    const cold = await start(db, OTHER, options, name);
    expect(cold.parsed).toBe(new Set([...cold.result.files.keys()].map((f) => f.replace(/#.*$/, ''))).size);
    const warm = await start(db, OTHER, options, name);
    expect(warm.parsed).toBe(0);
    expect(outcome(warm.result)).toEqual(outcome(cold.result));
    // Without any cache, the same again: the cache changes nothing a load gives.
    expect(outcome(loadData(OTHER, options))).toEqual(outcome(cold.result));
  });

  it('communities keep their own rows; replicas on one database write the same files at once', async () => {
    const tmp = tempDataDir({ copyReal: true });
    const shared = sharedDb(tmp.dir, 'replicas.db');
    const [a, b] = [await shared.open(), await shared.open()];
    try {
      const starts = await Promise.all([start(a, tmp.dir, {}, 'munich'), start(b, tmp.dir, {}, 'munich'), start(a, tmp.dir, {}, 'berlin')]);
      const n = starts[0]!.result.files.size;
      expect(starts.map((s) => s.parsed)).toEqual([n, n, n]);
      expect(await rows(a, 'munich')).toEqual(await rows(b, 'berlin'));
      expect((await start(b, tmp.dir, {}, 'munich')).parsed).toBe(0);
      expect((await start(a, tmp.dir, {}, 'berlin')).parsed).toBe(0);
      expect((await start(a, tmp.dir, {}, '')).parsed).toBe(n);
      rmSync(path.join(tmp.dir, 'events', 'sre-munich-summer-event-2024.md'));
      await start(a, tmp.dir, {}, 'munich');
      expect((await rows(b, 'munich')).length).toBe((await rows(b, 'berlin')).length - 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      tmp.cleanup();
    }
  });

  it('the rows of a community no longer configured are deleted; the configured ones keep theirs', async () => {
    const tmp = tempDataDir({ copyReal: true });
    try {
      for (const c of ['munich', 'berlin', 'paris']) await start(db, tmp.dir, {}, c);
      const n = (await rows(db, 'munich')).length;
      expect(n).toBeGreaterThan(0);
      expect(await forgetUnconfiguredCommunities(db, ['munich', 'berlin'])).toBe(n);
      expect(await rows(db, 'paris')).toEqual([]);
      expect((await rows(db, 'munich')).length).toBe(n);
      expect((await start(db, tmp.dir, {}, 'berlin')).parsed).toBe(0);
      // Back in the configuration: its files are parsed once more.
      expect((await start(db, tmp.dir, {}, 'paris')).parsed).toBe(n);
    } finally {
      tmp.cleanup();
    }
  });

  it('the bot: its start stores the parsed posts, a reload stores its changes, and the next start parses none', async () => {
    const tmp = tempDataDir({ copyReal: true });
    const lines: { msg: string; parsed?: number }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as { msg: string }), done()) }));
    const open = () => openEventsSource({ events: { kind: 'folder', dir: tmp.dir, path: 'events' }, dataDir: tmp.dir, log, clock: systemClock, notify: async () => undefined, parseCache: new ParseCacheStore(db, '') });
    const parsedAtStart = () => lines.filter((l) => l.msg === 'event data loaded').map((l) => l.parsed);
    try {
      const first = await open();
      const count = first.data.current().catalogue.events.length;
      expect(count).toBeGreaterThan(0);
      tmp.write('events/extra.yml', 'title: Extra\nstart: "2031-04-14 18:30"\n');
      first.data.reload();
      await first.data.flushed();
      const second = await open();
      expect(second.data.current().catalogue.events).toHaveLength(count + 1);
      expect(parsedAtStart()).toEqual([(await rows(db)).length - 1, 0]);
    } finally {
      tmp.cleanup();
    }
  });
});
