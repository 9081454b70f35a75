/**
 * The parse cache (src/sources/parse-cache.ts) on 1,000 real-shaped posts (bench/generate-events.ts). Every
 * measurement is a fresh process, as a restart is (a fresh heap and cold code), timed inside it after its modules
 * and the database are open, since those cost the same with or without the cache. Alternating rounds against
 * node reading the same 1,000 files in a fresh process of its own, medians of ROUNDS (bench/harness.ts):
 * (a) a restart with every post unchanged: the community's rows read from the database, every file read and
 *     hashed, looked up, its event rebuilt from JSON, the catalogue built. Goal <= 1.5x the baseline.
 * (b) a first start: every post parsed (no goal: reported with its baseline), then its rows written.
 * On PostgreSQL with SREMUC_TEST_DATABASE_URL (as the tests), else a SQLite file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { sharedDb } from '../test/helpers/db';
import { openDatabase, openPostgres, type Db } from '../src/store/db';
import { loadData } from '../src/sources/load';
import { ParseCache } from '../src/sources/parse-cache';
import { ParseCacheStore } from '../src/sources/parse-cache-store';
import { generateEventFiles } from './generate-events';
import { alternate, median, ROUNDS } from './harness';

const FILES = 1_000;

interface Report {
  ms: number;
  /** CPU time of the same span (user + system): what load on a shared machine does not inflate as it does wall time. */
  cpuMs: number;
  writeMs: number;
  parsed: number;
  events: number;
}

/** In the child: one start (or the baseline's reading), timed from the first read to the catalogue. */
async function child(mode: string, dataDir: string): Promise<void> {
  const report: Report = { ms: 0, cpuMs: 0, writeMs: 0, parsed: 0, events: 0 };
  const cpu = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  if (mode === 'read') {
    const cpuAt = process.cpuUsage();
    const started = performance.now();
    const dir = path.join(dataDir, 'events');
    for (const name of readdirSync(dir)) report.events += readFileSync(path.join(dir, name), 'utf8').length > 0 ? 1 : 0;
    report.ms = performance.now() - started;
    report.cpuMs = cpu(cpuAt);
  } else {
    const db: Db = process.env.DATABASE_URL ? await openPostgres(process.env.DATABASE_URL) : await openDatabase(process.env.DATABASE_PATH!);
    if (mode === 'first') await db.run(sql`DELETE FROM parse_cache`);
    const cpuAt = process.cpuUsage();
    const started = performance.now();
    const store = new ParseCacheStore(db);
    const cache = new ParseCache(await store.read());
    const result = loadData(dataDir, { cache });
    const loaded = performance.now();
    report.cpuMs = cpu(cpuAt);
    await cache.persist((changes) => store.save(changes));
    Object.assign(report, { ms: loaded - started, writeMs: performance.now() - loaded, parsed: cache.parses, events: result.catalogue.events.length });
    await db.close();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function run(mode: string, dataDir: string, env: Record<string, string>): Report {
  const result = spawnSync(process.execPath, [__filename, '--child', mode, dataDir], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  if (result.status !== 0) throw new Error(`${mode} child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Report;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-bench-parse-cache-'));
  const shared = sharedDb(dir);
  const db = await shared.open(); // migrates (and on PostgreSQL creates the schema) before the children connect
  await db.close();
  try {
    const dataDir = generateEventFiles(path.join(dir, 'data'), FILES);
    const first = run('first', dataDir, shared.env);
    if (first.parsed !== FILES) throw new Error(`a first start parsed ${first.parsed} of ${FILES} posts`);
    console.log(`${FILES} posts, ${first.events} events, on ${shared.file ? 'SQLite' : 'PostgreSQL'}; each round a fresh process`);
    const cpu = { ours: [] as number[], baseline: [] as number[] };
    const baseline = {
      name: `node reading the ${FILES} files`,
      measure: async () => {
        const read = run('read', dataDir, {});
        cpu.baseline.push(read.cpuMs);
        return read.ms;
      },
    };

    await alternate({
      title: `(a) restart with ${FILES} unchanged posts: rows read, files read and hashed, looked up, rebuilt, catalogue`,
      unit: 'ms',
      ours: {
        name: 'restart through the parse cache',
        measure: async () => {
          const restart = run('restart', dataDir, shared.env);
          if (restart.parsed !== 0) throw new Error(`a restart parsed ${restart.parsed} unchanged posts`);
          cpu.ours.push(restart.cpuMs);
          return restart.ms;
        },
      },
      baseline,
      goal: { op: '<=', ratio: 1.5 },
    });
    console.log(`  CPU: restart median ${median(cpu.ours).toFixed(1)} ms, baseline ${median(cpu.baseline).toFixed(1)} ms (${(median(cpu.ours) / median(cpu.baseline)).toFixed(2)}x)`);

    // (b) alternating rounds as alternate() runs them, without a goal: a first parse has none.
    const parse: number[] = [];
    const write: number[] = [];
    const read: number[] = [];
    const cold = () => {
      const start = run('first', dataDir, shared.env);
      parse.push(start.ms);
      write.push(start.writeMs);
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) cold();
      read.push(await baseline.measure());
      if (round % 2 === 1) cold();
    }
    const line = (name: string, values: number[]) => console.log(`  ${name.padEnd(44)} median ${median(values).toFixed(1)} ms  rounds ${values.map((v) => v.toFixed(1)).join(', ')}`);
    console.log(`(b) first start with ${FILES} posts: every post parsed, then its rows written`);
    line('first parse (rows read, files read, parsed)', parse);
    line('then writing the rows', write);
    line(baseline.name, read);
    console.log(`  ratio ${(median(parse) / median(read)).toFixed(1)}x the baseline for the parse (no goal: reported with its baseline)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
const work = childAt >= 0 ? child(process.argv[childAt + 1]!, process.argv[childAt + 2]!) : main();
work.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
