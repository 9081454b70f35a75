/**
 * Cold start of the event loader: a fresh process that loads 1,000 real-shaped posts (bench/generate-events.ts)
 * with loadData(), timed from spawn to "ready" (catalogue built), with its peak RSS. The baseline, measured in the
 * same run and started the same way (plain node on the compiled dist/, as npm start does), is a process that only readFileSync's the same 1,000 files, so the
 * ratio is what parsing, validation and the catalogue cost on top of reading the bytes.
 * Goal: loader ready <= 1.5 s and < 150 MB. Each side runs 5 times after a warm-up; medians are reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEventFiles } from './generate-events';
import { startArgs } from './harness';

const FILES = 1_000;
const RUNS = 5;
const GOAL_MS = 1_500;
const GOAL_MB = 150;

interface ChildReport {
  events: number;
  files: number;
  bytes: number;
  rssMb: number;
  /** CPU time of the whole child (user + system): less skewed than wall time on a machine shared with other work. */
  cpuMs: number;
}

/** In the child: do the work, print one JSON line. */
function child(mode: string, dataDir: string): void {
  let report: ChildReport;
  if (mode === 'load') {
    // Required here, not at the top: the module load is part of the cold start being measured.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadData } = require('../src/sources/load') as typeof import('../src/sources/load');
    const result = loadData(dataDir);
    report = { events: result.catalogue.events.length, files: result.files.size, bytes: 0, rssMb: 0, cpuMs: 0 };
  } else {
    const dir = path.join(dataDir, 'events');
    let bytes = 0;
    const names = readdirSync(dir);
    for (const name of names) bytes += readFileSync(path.join(dir, name), 'utf8').length;
    report = { events: 0, files: names.length, bytes, rssMb: 0, cpuMs: 0 };
  }
  const usage = process.resourceUsage();
  report.rssMb = usage.maxRSS / 1024;
  report.cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function run(mode: string, dataDir: string): { ms: number; report: ChildReport } {
  const started = process.hrtime.bigint();
  // Started as npm start starts the bot: plain node on the compiled file.
  const result = spawnSync(process.execPath, [__filename, '--child', mode, dataDir], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${mode} child failed: ${result.stderr}`);
  return { ms, report: JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(mode: string, dataDir: string): { ms: number; cpuMs: number; rssMb: number; report: ChildReport } {
  run(mode, dataDir);
  const runs = Array.from({ length: RUNS }, () => run(mode, dataDir));
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.report.cpuMs)), rssMb: median(runs.map((r) => r.report.rssMb)), report: runs[0]!.report };
}

/**
 * The whole bot as `npm start` runs it (console chat, feeds, scheduler, no platform credentials), from spawn to
 * its "ready" log line, with the peak RSS the kernel recorded for it.
 */
async function botStart(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sremuc-coldstart-db-'));
  const started = process.hrtime.bigint();
  // package.json's start command (its node flags and entry), from the repository root as npm runs it.
  const bot = spawn(process.execPath, startArgs(), {
    cwd: path.join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, DATABASE_PATH: path.join(work, 'bot.db'), HTTP_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      let log = '';
      bot.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('sremuc-bot ready')) resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
      bot.on('exit', (code) => reject(new Error(`bot exited (${code}) before it was ready:\n${log}`)));
    });
    const status = readFileSync(`/proc/${bot.pid}/status`, 'utf8');
    const rssMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { ms, rssMb };
  } finally {
    bot.kill('SIGTERM');
    await new Promise((resolve) => bot.once('close', resolve));
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sremuc-coldstart-'));
  try {
    generateEventFiles(dataDir, FILES);
    const baseline = measure('read', dataDir);
    const loader = measure('load', dataDir);
    const ok = loader.ms <= GOAL_MS && loader.rssMb < GOAL_MB;
    console.log(`cold start, ${FILES} posts (median of ${RUNS} fresh processes via plain node on dist/, after one warm-up):`);
    const line = (r: typeof loader) => `${r.ms.toFixed(0).padStart(6)} ms wall ${r.cpuMs.toFixed(0).padStart(6)} ms cpu ${r.rssMb.toFixed(0).padStart(4)} MB max RSS`;
    console.log(`  baseline  readFileSync only       ${line(baseline)}`);
    console.log(`  loader    loadData -> Catalogue  ${line(loader)}  (${loader.report.events} events from ${loader.report.files} files)`);
    console.log(`  ratio     ${(loader.ms / baseline.ms).toFixed(2)}x wall, ${(loader.cpuMs / baseline.cpuMs).toFixed(2)}x cpu, ${(loader.rssMb / baseline.rssMb).toFixed(2)}x memory; parsing adds ${(loader.ms - baseline.ms).toFixed(0)} ms wall, ${(loader.cpuMs - baseline.cpuMs).toFixed(0)} ms cpu`);
    console.log(`  goal      <= ${GOAL_MS} ms and < ${GOAL_MB} MB: ${ok ? 'met' : 'NOT met'} (the loader)`);
    await botStart(dataDir);
    const bots: { ms: number; rssMb: number }[] = [];
    for (let i = 0; i < 3; i++) bots.push(await botStart(dataDir));
    const bot = { ms: median(bots.map((b) => b.ms)), rssMb: median(bots.map((b) => b.rssMb)) };
    const botOk = bot.ms <= GOAL_MS && bot.rssMb < GOAL_MB;
    console.log(`  whole bot npm start -> "ready"  ${bot.ms.toFixed(0).padStart(6)} ms wall ${''.padStart(13)} ${bot.rssMb.toFixed(0).padStart(4)} MB max RSS  (median of 3: modules, loader, feed bookkeeping, console, scheduler)`);
    console.log(`  ratio     ${(bot.ms / baseline.ms).toFixed(2)}x the baseline's wall time; goal <= ${GOAL_MS} ms and < ${GOAL_MB} MB: ${botOk ? 'met' : 'NOT met'} (the bot)`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
else void main();
