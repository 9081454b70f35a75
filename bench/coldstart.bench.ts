/**
 * Cold start of the event loader: a fresh process that loads 1,000 real-shaped posts (bench/generate-events.ts)
 * with loadData(), timed from spawn to "ready" (catalogue built), with its peak RSS. The baseline, measured in the
 * same run and started the same way (node -r tsx/cjs, as npm start does), is a process that only readFileSync's the same 1,000 files, so the
 * ratio is what parsing, validation and the catalogue cost on top of reading the bytes.
 * Goal: loader ready <= 1.5 s and < 150 MB. Each side runs 5 times after a warm-up; medians are reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEventFiles } from './generate-events';

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
  // Started as npm start starts the bot: node with tsx's CommonJS hook.
  const result = spawnSync(process.execPath, ['-r', 'tsx/cjs', __filename, '--child', mode, dataDir], { encoding: 'utf8' });
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

function main(): void {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sremuc-coldstart-'));
  try {
    generateEventFiles(dataDir, FILES);
    const baseline = measure('read', dataDir);
    const loader = measure('load', dataDir);
    const ok = loader.ms <= GOAL_MS && loader.rssMb < GOAL_MB;
    console.log(`cold start, ${FILES} posts (median of ${RUNS} fresh processes via node -r tsx/cjs, after one warm-up):`);
    const line = (r: typeof loader) => `${r.ms.toFixed(0).padStart(6)} ms wall ${r.cpuMs.toFixed(0).padStart(6)} ms cpu ${r.rssMb.toFixed(0).padStart(4)} MB max RSS`;
    console.log(`  baseline  readFileSync only       ${line(baseline)}`);
    console.log(`  loader    loadData -> Catalogue  ${line(loader)}  (${loader.report.events} events from ${loader.report.files} files)`);
    console.log(`  ratio     ${(loader.ms / baseline.ms).toFixed(2)}x wall, ${(loader.cpuMs / baseline.cpuMs).toFixed(2)}x cpu, ${(loader.rssMb / baseline.rssMb).toFixed(2)}x memory; parsing adds ${(loader.ms - baseline.ms).toFixed(0)} ms wall, ${(loader.cpuMs - baseline.cpuMs).toFixed(0)} ms cpu`);
    console.log(`  goal      <= ${GOAL_MS} ms and < ${GOAL_MB} MB: ${ok ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
else main();
