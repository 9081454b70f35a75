/**
 * What every benchmark shares: processes started the way users start them, alternating A/B rounds, medians and
 * the goal line. Single runs on these machines swing by 3x, so each result is a ratio against a baseline measured
 * in the same run, round by round, and the median of at least five rounds counts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, cpSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../test/fakes/loopback';

export const ROUNDS = 5;
const ROOT = path.resolve(__dirname, '..', '..');

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * Runs `measure` on each side in turn, `ROUNDS` times (A, B, A, B, ...), and prints the medians and the ratio
 * ours / baseline against the goal. Returns whether the goal was met.
 */
export async function alternate(options: {
  title: string;
  unit: string;
  ours: { name: string; measure: () => Promise<number> };
  baseline: { name: string; measure: () => Promise<number> };
  goal: { op: '<=' | '>='; ratio: number };
}): Promise<boolean> {
  const ours: number[] = [];
  const baseline: number[] = [];
  const loadBefore = loadavg()[0]!;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so a machine getting busier or quieter over a round favours neither.
    if (round % 2 === 0) {
      ours.push(await options.ours.measure());
      baseline.push(await options.baseline.measure());
    } else {
      baseline.push(await options.baseline.measure());
      ours.push(await options.ours.measure());
    }
  }
  const ratio = median(ours) / median(baseline);
  const met = options.goal.op === '<=' ? ratio <= options.goal.ratio : ratio >= options.goal.ratio;
  const fmt = (v: number) => `${v.toFixed(1)} ${options.unit}`;
  // The machine's own load skews every number: it goes with them (1-minute load average, before and after).
  console.log(`${options.title}  (load average ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)})`);
  console.log(`  ${options.ours.name.padEnd(44)} median ${fmt(median(ours))}  rounds ${ours.map((v) => v.toFixed(1)).join(', ')}`);
  console.log(`  ${options.baseline.name.padEnd(44)} median ${fmt(median(baseline))}  rounds ${baseline.map((v) => v.toFixed(1)).join(', ')}`);
  console.log(`  ratio ${ratio.toFixed(2)}x  (goal ${options.goal.op} ${options.goal.ratio}x: ${met ? 'met' : 'NOT met'})`);
  return met;
}

export interface Started {
  child: ChildProcess;
  stop(): Promise<void>;
  /** Resident set size now, from /proc (Linux). */
  rssMb(): number;
  /** CPU time used so far (user + system), from /proc (Linux): what a request costs, however busy the machine. */
  cpuMs(): number;
}

/** Counts the requests a side answered and the CPU its process spent on them, over all its rounds. */
export class CpuTally {
  private cpu = 0;
  private requests = 0;

  async measure<T>(side: Started, work: () => Promise<{ value: T; requests: number }>): Promise<T> {
    const before = side.cpuMs();
    const { value, requests } = await work();
    this.cpu += side.cpuMs() - before;
    this.requests += requests;
    return value;
  }

  perRequestMs(): number {
    return this.cpu / this.requests;
  }
}

/** One line comparing the CPU each side spent per request, which machine load does not skew as it does latency. */
export function printCpu(what: string, ours: CpuTally, baseline: CpuTally): void {
  const a = ours.perRequestMs();
  const b = baseline.perRequestMs();
  console.log(`  CPU per ${what}: ours ${a.toFixed(2)} ms, baseline ${b.toFixed(2)} ms (${(a / b).toFixed(2)}x)`);
}

/**
 * What one member feels on an otherwise idle bot: the median and p90 of `count` requests sent one at a time
 * (nothing queues behind anything, so this is the work of one answer plus the round trip).
 */
export async function singleRequests(count: number, one: () => Promise<unknown>): Promise<{ median: number; p90: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await one();
    latencies.push(performance.now() - t0);
  }
  return { median: median(latencies), p90: percentile(latencies, 90) };
}

/** One line with each side's unloaded answer time (singleRequests), next to the loaded p99 ratio. */
export function printUnloaded(what: string, ours: { median: number; p90: number }, baseline: { median: number; p90: number }): void {
  const fmt = (v: { median: number; p90: number }) => `${v.median.toFixed(2)} ms (p90 ${v.p90.toFixed(2)})`;
  console.log(`  one ${what} at a time (what a member feels): ours ${fmt(ours)}, baseline ${fmt(baseline)}`);
}

/** Spawns `node <args>` with `env` (nothing else of this process's environment but PATH) and waits for `ready`. */
export async function startProcess(args: string[], env: Record<string, string>, ready: () => Promise<boolean>): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} not ready after 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    cpuMs() {
      // Fields 14 and 15 of /proc/<pid>/stat (after the command name): utime and stime in clock ticks (100 a second).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    rssMb() {
      const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
      return Number(line.replace(/\D/g, '')) / 1024;
    },
  };
}

/** The arguments `npm start` gives node (package.json's `start` script, which must be "node ..."): flags, then the entry. */
export function startArgs(): string[] {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = start.split(' ');
  if (command !== 'node') throw new Error(`npm start is "${start}"; the benchmarks expect "node ..."`);
  return args;
}

/** The bot exactly as `npm start` runs it (the command read from package.json), with a copy of data/. */
export async function startBot(env: Record<string, string>): Promise<Started & { httpUrl: string }> {
  const args = startArgs();
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-bench-'));
  cpSync(path.join(ROOT, 'data'), path.join(dir, 'data'), { recursive: true });
  const port = await freeLoopbackPort();
  const httpUrl = `http://127.0.0.1:${port}`;
  // BENCH_BOT_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=var/prof") go to the bot's node only, to profile it in a bench.
  const nodeArgs = process.env.BENCH_BOT_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const started = await startProcess([...nodeArgs, ...args], { DATA_DIR: path.join(dir, 'data'), DATABASE_PATH: path.join(dir, 'bot.db'), HTTP_PORT: String(port), LOG_LEVEL: 'error', CONSOLE_CHAT: 'false', ...env }, () =>
    fetch(`${httpUrl}/healthz`).then((r) => r.ok, () => false),
  );
  return {
    ...started,
    httpUrl,
    async stop() {
      await started.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A process holding a bare Bolt app (acking "ok" on `slackPort`) and/or a bare discord.js client answering "ok". */
export async function startBare(env: Record<string, string>): Promise<Started> {
  const readyFile = path.join(mkdtempSync(path.join(tmpdir(), 'sremuc-bare-')), 'ready');
  return startProcess([path.join(__dirname, 'bare-bots.js')], { ...env, READY_FILE: readyFile }, async () => {
    try {
      readFileSync(readyFile);
      return true;
    } catch {
      return false;
    }
  });
}
