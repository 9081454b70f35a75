/**
 * 1,000 communities of 20 posts each on one process (COMMUNITIES_DIR): start time (process start to "ready",
 * which includes the first scheduler tick and its catch-up posts to the console), resident memory when ready, and
 * a scheduler tick once those posts are out (planning every community against the outbox: the per-minute cost). The posts
 * are the real ones in data/events (bench/generate-events.ts), each community's spread from two months ago to two
 * months ahead so every tick has upcoming meetups to plan. The baseline, started the same way in the same run,
 * is the one-community set-up (DATA_DIR) with 20 such posts; the per-community cost is the difference / 999.
 * Goals: ready <= 60 s, < 1 GB, a tick <= 10 s (the tick runs every minute). `BENCH_COMMUNITIES=n` changes 1,000.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { ROOT } from '../test/helpers/built';
import { generateEventFiles } from './generate-events';

const COMMUNITIES = Number(process.env.BENCH_COMMUNITIES ?? 1_000);
const POSTS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOALS = { readyMs: 60_000, rssMb: 1_024, tickMs: 10_000 };

interface ChildReport {
  communities: number;
  events: number;
  /** Process start to every community loaded (posts parsed, outbox opened), before the first tick. */
  loadedMs: number;
  readyMs: number;
  rssMb: number;
  tickMs: number;
  outbox: Record<string, number>;
}

/** One community's folder: 20 real-shaped posts from two months ago on, its own name, the shipped rules. */
function writeCommunity(dir: string, index: number): void {
  const first = DateTime.now().setZone('Europe/Berlin').startOf('day').minus({ days: 60 - (index % 5) }).set({ hour: 18, minute: 30 });
  generateEventFiles(dir, POSTS, first);
  writeFileSync(path.join(dir, 'settings.yml'), [`name: Community ${index + 1}`, `hashtag: "#c${index + 1}"`, 'contact: c@example.org', 'timeZone: Europe/Berlin', 'website: https://example.org'].join('\n'));
  copyFileSync(path.join(ROOT, 'data', 'announcements.yml'), path.join(dir, 'announcements.yml'));
}

/** In the child: start the bot as main.ts does (console chat on, to a sink), tick once more, report. */
async function child(env: Record<string, string>): Promise<void> {
  // Required here: module loading is part of the start being measured.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createBot } = require('../src/bot') as typeof import('../src/bot');
  const { loadConfig } = require('../src/config') as typeof import('../src/config');
  const { createLogger } = require('../src/log') as typeof import('../src/log');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const config = loadConfig({ HTTP_PORT: '0', CONSOLE_CHAT: 'true', LOG_LEVEL: 'error', ...env });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const bot = await createBot(config, { input: new PassThrough(), output: sink, log: createLogger('error') });
  const loadedMs = process.uptime() * 1000;
  await bot.start();
  const readyMs = process.uptime() * 1000;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  // The start's catch-up tick leaves rows it looked up first (a new lease holder's) to be sent on the next one.
  await bot.scheduler.tick();
  const started = performance.now();
  await bot.scheduler.tick();
  const tickMs = performance.now() - started;
  const rows = await bot.db.rows(sql<{ status: string; n: number }>`SELECT status, CAST(COUNT(*) AS INTEGER) AS n FROM outbox GROUP BY status`);
  const report: ChildReport = {
    communities: bot.communities.length,
    events: bot.communities.reduce((n, c) => n + c.data.current().catalogue.events.length, 0),
    loadedMs,
    readyMs,
    rssMb,
    tickMs,
    outbox: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
  };
  await bot.stop();
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

function run(env: Record<string, string>): ChildReport {
  const db = mkdtempSync(path.join(os.tmpdir(), 'sremuc-communities-db-'));
  try {
    const result = spawnSync(process.execPath, [__filename, '--child', JSON.stringify({ ...env, DATABASE_PATH: path.join(db, 'bot.db') })], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr.slice(-2000)}`);
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport;
  } finally {
    rmSync(db, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function main(): void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sremuc-communities-'));
  try {
    const dir = path.join(root, 'communities');
    const generated = performance.now();
    for (let i = 0; i < COMMUNITIES; i++) writeCommunity(path.join(dir, `c-${String(i + 1).padStart(4, '0')}`), i);
    const single = path.join(root, 'single');
    mkdirSync(single);
    writeCommunity(single, 0);
    console.log(`${COMMUNITIES} communities x ${POSTS} posts generated in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
    const ours: ChildReport[] = [];
    const base: ChildReport[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating, so a machine getting busier over the run favours neither side.
      const pair = round % 2 === 0 ? [() => ours.push(run({ COMMUNITIES_DIR: dir })), () => base.push(run({ DATA_DIR: single }))] : [() => base.push(run({ DATA_DIR: single })), () => ours.push(run({ COMMUNITIES_DIR: dir }))];
      for (const side of pair) side();
    }
    const line = (name: string, reports: ChildReport[]) =>
      `  ${name.padEnd(36)} ${reports[0]!.communities} communities, ${reports[0]!.events} events; loaded ${(median(reports.map((r) => r.loadedMs)) / 1000).toFixed(2)} s, ready ${(median(reports.map((r) => r.readyMs)) / 1000).toFixed(2)} s, ` +
      `${median(reports.map((r) => r.rssMb)).toFixed(0)} MB, tick ${median(reports.map((r) => r.tickMs)).toFixed(0)} ms  (rounds: ready ${reports.map((r) => (r.readyMs / 1000).toFixed(1)).join(', ')} s)`;
    console.log(`Communities on one process (median of ${ROUNDS} rounds)`);
    console.log(line(`${COMMUNITIES} communities (COMMUNITIES_DIR)`, ours));
    console.log(line('baseline: one community (DATA_DIR)', base));
    console.log(`  outbox after the start and two more ticks: ${JSON.stringify(ours[0]!.outbox)} (baseline ${JSON.stringify(base[0]!.outbox)})`);
    const m = { readyMs: median(ours.map((r) => r.readyMs)), rssMb: median(ours.map((r) => r.rssMb)), tickMs: median(ours.map((r) => r.tickMs)) };
    const b = { readyMs: median(base.map((r) => r.readyMs)), rssMb: median(base.map((r) => r.rssMb)), tickMs: median(base.map((r) => r.tickMs)) };
    const per = (k: keyof typeof m) => (m[k] - b[k]) / Math.max(1, COMMUNITIES - 1);
    console.log(`  ratio: ready ${(m.readyMs / b.readyMs).toFixed(1)}x, memory ${(m.rssMb / b.rssMb).toFixed(1)}x, tick ${(m.tickMs / b.tickMs).toFixed(0)}x; per extra community: ${per('readyMs').toFixed(1)} ms to start, ${(per('rssMb') * 1024).toFixed(0)} KB, ${per('tickMs').toFixed(2)} ms a tick`);
    const met = m.readyMs <= GOALS.readyMs && m.rssMb <= GOALS.rssMb && m.tickMs <= GOALS.tickMs;
    console.log(`  goals: ready <= ${GOALS.readyMs / 1000} s, < ${GOALS.rssMb} MB, tick <= ${GOALS.tickMs / 1000} s: ${met ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3]!) as Record<string, string>).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main();
}
