/**
 * From a signed push webhook to the changed answers, on loopback: a real git server (git http-backend), the whole
 * bot following it (console chat, HTTP server), and per round one commit that retitles a meetup. Timed from the
 * POST to /webhooks/git until both the /agenda answer and /events/<id>.ics carry the new title. Baseline in the
 * same run: a plain `git fetch --depth 1` of a push by the same server, the part of the time that is git's own.
 * Goal: at most 5 s.
 */
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot } from '../src/bot';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { GitServer } from '../test/fakes/git-server';

const ROUNDS = 5;
// Asynchronous: the git server answers from this same process.
const git = promisify(execFile);
const SECRET = 'bench-secret';
const ROOT = path.resolve(__dirname, ...(path.basename(path.resolve(__dirname, '..')) === 'dist' ? ['..', '..'] : ['..']));

async function main(): Promise<void> {
  const server = new GitServer();
  await server.start();
  const repo = server.repository('website');
  const posts = path.join(ROOT, 'data', 'events');
  for (const file of readdirSync(posts)) repo.write(`content/events/${file}`, readFileSync(path.join(posts, file)));
  const id = 'sre-munich-summer-event-2024';
  const original = readFileSync(path.join(posts, `${id}.md`), 'utf8');
  repo.commit('The real posts');

  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-bench-git-'));
  mkdirSync(path.join(dir, 'data'));
  cpSync(path.join(ROOT, 'data', 'settings.yml'), path.join(dir, 'data', 'settings.yml'));
  const input = new PassThrough();
  const out = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), DATABASE_PATH: path.join(dir, 'var', 'bot.db'), HTTP_PORT: '0', CONSOLE_CHAT: 'true', EVENTS_SOURCE: repo.url, EVENTS_POLL_MINUTES: '0', WEBHOOK_SECRET: SECRET });
  const bot = await createBot(config, { input, output: out, log: createLogger((process.env.BENCH_LOG as 'info' | undefined) ?? 'silent') });
  await bot.start();

  const times: number[] = [];
  const baselines: number[] = [];
  const plain = path.join(dir, 'plain');
  await git('git', ['clone', '--quiet', '--depth', '1', repo.url, plain]);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const title = `SRE Munich at Celonis round ${round}`;
      const sha = repo.write(`content/events/${id}.md`, original.replace(/^title: .*$/m, `title: "${title}"`)).commit(`Round ${round}`);

      const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: sha }));
      const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      const from = output.length;
      const started = performance.now();
      const res = await fetch(`${bot.http.url}/webhooks/git`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `bench-${round}`, 'x-hub-signature-256': signature } });
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
      let feedSeen = false;
      let asked = false;
      for (;;) {
        if (!feedSeen) feedSeen = (await (await fetch(`${bot.http.url}/events/${id}.ics`)).text()).includes(title);
        if (feedSeen && !asked) {
          input.write(`/agenda ${id}\n`);
          asked = true;
        }
        if (asked && output.slice(from).includes(title)) break;
        if (performance.now() - started > 30_000) throw new Error('no change after 30 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      times.push(performance.now() - started);

      const fetchStarted = performance.now();
      await git('git', ['-C', plain, 'fetch', '--quiet', '--depth', '1', 'origin', 'main']);
      baselines.push(performance.now() - fetchStarted);
    }
  } finally {
    await bot.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(`  signed push webhook -> /agenda answer and feed changed: median ${ms(median(times))}, max ${ms(Math.max(...times))} over ${ROUNDS} pushes (13 posts)`);
  console.log(`  baseline git fetch --depth 1 of a push: median ${ms(median(baselines))} (${(median(times) / median(baselines)).toFixed(1)}x)`);
  console.log(`  goal <= 5000 ms: ${Math.max(...times) <= 5000 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
