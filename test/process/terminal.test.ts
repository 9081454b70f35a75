/**
 * `npm start` on a terminal, as an organizer tries it first: util-linux `script` gives the bot a pseudo-terminal
 * for stdin and stdout. The chat shows a prompt, logs go to a file instead of through the chat, and Ctrl-D ends it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { built, npmScript, ROOT } from '../helpers/built';
import { freeLoopbackPort } from '../fakes/loopback';
import { botDatabaseEnv } from '../helpers/db';
import { makeDataDir, MEETUP_TITLE } from './harness';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sremuc-tty-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start on a terminal', () => {
  it('prompts, keeps the logs in var/sremuc.log next to the database, and ends on Ctrl-D with exit 0', async () => {
    built('src/main.ts');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      TERM: 'dumb',
      DATA_DIR: makeDataDir(dir),
      ...(await botDatabaseEnv(dir)),
      HTTP_PORT: String(await freeLoopbackPort()),
    };
    // -q quiet, -f flush, -e exit with the command's code, -c the start script (run by a shell).
    const child = spawn('script', ['-qfec', npmScript('start'), '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const seen = (text: string) => new Promise<void>((resolve) => {
      const check = () => (screen.includes(text) ? resolve() : undefined);
      child.stdout.on('data', (chunk: Buffer) => ((screen += chunk.toString()), check()));
      check();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    await seen('sremuc> ');
    child.stdin.write('/agenda\r');
    await seen('Talk 1: Running the bot for real');
    await seen('[post to #announcements]');
    child.stdin.write('\u0004');
    expect(await exited).toBe(0);

    expect(screen).toContain(MEETUP_TITLE);
    expect(screen).toContain(`Logs go to ${path.join(dir, 'var', 'sremuc.log')}`);
    expect(screen).not.toContain('"level"');
    const log = path.join(dir, 'var', 'sremuc.log');
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toContain('"msg":"sremuc-bot ready"');
  });
});
