/**
 * The bot as its users run it, for the process-level tests: package.json's `start` script (read, not restated),
 * spawned through a shell in the repository, with a throwaway data folder and database and the environment a
 * test gives (pointing at the fakes). A process that cannot start fails the test with its output; nothing skips.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { built, npmScript, ROOT } from '../helpers/built';
import { botDatabaseEnv } from '../helpers/db';
import { freeLoopbackPort } from '../fakes/loopback';

/** The meetup each test's data folder holds: 10 days ahead, so the shipped rules announce it right away. */
export const MEETUP_TITLE = 'SRE Munich at Process Test';
const MEETUP_ID = 'sre-munich-process-test';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  /** http://127.0.0.1:<HTTP_PORT> */
  readonly httpUrl: string;
  readonly env: Record<string, string>;
  readonly dir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once `text` appears on stdout (or stderr); rejects with the output if the process ends first. */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>;
  write(line: string): void;
  endInput(): void;
  /** SIGTERM to the bot (the process the shell started), as systemd stops it; resolves with the exit. */
  terminate(): Promise<Exit>;
  /** SIGKILL to the bot: it dies at once, mid-request, as in a crash or an OOM kill. */
  kill(): Promise<Exit>;
  readonly exited: Promise<Exit>;
  cleanup(): void;
}

/** A data folder like the shipped one, with one upcoming meetup instead of the archive. */
export function makeDataDir(dir: string): string {
  const data = path.join(dir, 'data');
  mkdirSync(path.join(data, 'events'), { recursive: true });
  for (const file of ['settings.yml', 'announcements.yml']) copyFileSync(path.join(ROOT, 'data', file), path.join(data, file));
  const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 10 }).toISODate();
  writeFileSync(
    path.join(data, 'events', `${MEETUP_ID}.yml`),
    [
      `title: ${MEETUP_TITLE}`,
      `start: "${day} 18:30"`,
      'end: "21:30"',
      'venue: Example GmbH',
      'address: Examplestr. 1, 80331 München',
      'agenda:',
      '  - { time: "18:30", title: Doors open }',
      '  - { time: "19:00", title: "Talk 1: Running the bot for real" }',
    ].join('\n'),
  );
  return data;
}

/**
 * Starts `npm start`'s command with `env` on top of a bare environment (PATH and HOME only, as on a fresh
 * machine) plus DATA_DIR, its own database (botDatabaseEnv: SQLite or PostgreSQL) and a free HTTP_PORT. Resolves
 * once the bot logged that it is ready; `until: 'spawned'` resolves at once (for tests of refused start-ups).
 */
export async function startBot(env: Record<string, string> = {}, options: { until?: 'ready' | 'spawned' } = {}): Promise<BotProcess> {
  for (let attempt = 1; ; attempt++) {
    const bot = await spawnBot(env);
    if (options.until === 'spawned') return bot;
    try {
      await bot.waitFor('"msg":"sremuc-bot ready"', 'stderr');
      return bot;
    } catch (error) {
      // The port was free when probed, not when the bot bound it: another test's server (a parallel jest worker)
      // can take it in between. The bot then exits saying so (EADDRINUSE), and another port is tried.
      const taken = bot.stderr().includes(`HTTP_PORT: 127.0.0.1:${bot.env.HTTP_PORT} is already in use`);
      if (env.HTTP_PORT !== undefined || attempt === 3 || !taken) throw error;
      bot.cleanup();
    }
  }
}

async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  built('src/main.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-process-'));
  const port = await freeLoopbackPort();
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    DATA_DIR: makeDataDir(dir),
    ...(await botDatabaseEnv(dir)),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    LOG_LEVEL: 'info',
    ...env,
  };
  const child = spawn(npmScript('start'), { shell: true, cwd: ROOT, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  return watch(child, fullEnv, dir, `http://127.0.0.1:${fullEnv.HTTP_PORT}`);
}

function watch(child: ChildProcess, env: Record<string, string>, dir: string, httpUrl: string): BotProcess {
  const out = { stdout: '', stderr: '' };
  const waiters: { text: string; stream: 'stdout' | 'stderr'; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (out[w.stream].includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => ((out.stdout += chunk.toString()), check()));
  child.stderr!.on('data', (chunk: Buffer) => ((out.stderr += chunk.toString()), check()));
  // A bot that has exited cannot read: writing must not crash the test runner with EPIPE.
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const report = () => `stdout:\n${out.stdout}\nstderr:\n${out.stderr}`;

  return {
    httpUrl,
    env,
    dir,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor(text, stream = 'stdout') {
      if (out[stream].includes(text)) return Promise.resolve();
      return Promise.race([
        new Promise<void>((resolve) => waiters.push({ text, stream, resolve })),
        exited.then((exit) => {
          if (out[stream].includes(text)) return;
          throw new Error(`the bot exited (${exit.code ?? exit.signal}) before "${text}" appeared on ${stream}\n${report()}`);
        }),
      ]);
    },
    write: (line) => void child.stdin!.write(`${line}\n`),
    endInput: () => void child.stdin!.end(),
    async terminate() {
      const pid = botPid(child);
      if (pid !== undefined) signal(pid, 'SIGTERM');
      return exited;
    },
    async kill() {
      const pid = botPid(child);
      if (pid !== undefined) signal(pid, 'SIGKILL');
      return exited;
    },
    cleanup() {
      // The bot first: killing only the shell would leave it running as an orphan.
      const pid = botPid(child);
      if (pid !== undefined && pid !== child.pid) signal(pid, 'SIGKILL');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The bot itself: `sh -c` (dash) keeps running as the parent of the command, so the signal goes to the shell's
 * child, and the shell then exits with the bot's own exit code.
 */
function botPid(child: ChildProcess): number | undefined {
  if (child.pid === undefined || child.exitCode !== null) return undefined;
  try {
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length > 0 ? Number(children[0]) : child.pid;
  } catch {
    return child.pid;
  }
}

/** A process that has just exited by itself is not an error here. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** GET /healthz on the bot's one public HTTP port. */
export async function healthz(bot: BotProcess): Promise<{ status: number; body: string }> {
  const res = await fetch(`${bot.httpUrl}/healthz`);
  return { status: res.status, body: await res.text() };
}

/** Resolves when `condition` holds, checking as the fakes record traffic (the test's own timeout bounds it). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
