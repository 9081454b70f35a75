/**
 * The bot follows the website through polling alone: no webhook is configured or sent, no fetch has failed
 * (so the retry timer is not what runs), and a commit pushed to the real git server (git http-backend on
 * loopback) reaches the catalogue, the feed and the organizers' report on the EVENTS_POLL_MINUTES timer.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { GitServer, type TestRepository } from '../fakes/git-server';
import { post, SETTINGS } from './git-posts';
import { botDatabaseEnv } from '../helpers/db';

jest.setTimeout(180_000);

let server: GitServer;
let repo: TestRepository;
let dir: string;
let bot: Bot;
let output = '';

beforeAll(async () => {
  server = new GitServer();
  await server.start();
  repo = server.repository('website');
  repo.write('content/events/spring-2030.md', post('SRE Munich Spring 2030', '2030-04-10T18:30')).commit('Spring');
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-poll-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'settings.yml'), SETTINGS);
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'data'),
    ...(await botDatabaseEnv(dir)),
    HTTP_PORT: '0',
    CONSOLE_CHAT: 'true',
    EVENTS_SOURCE: repo.url,
    // 1.2 s: the same timer as a deployment's 5 minutes, short enough for a test to wait on.
    EVENTS_POLL_MINUTES: '0.02',
  });
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot = await createBot(config, { input: new PassThrough(), output: out, log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('a pushed commit reaches the catalogue, the feed and the report through polling, with no webhook', async () => {
  expect(bot.data.current().catalogue.events.map((e) => e.id)).toEqual(['spring-2030']);
  const sha = repo.write('content/events/summer-2030.md', post('SRE Munich Summer 2030', '2030-07-10T18:30')).commit('Summer', 'Grace Hopper');

  await waitFor(() => bot.follower!.status().revision?.sha === sha, 'the poll to check out the pushed commit');
  expect(bot.data.current().catalogue.byId('summer-2030')?.title).toBe('SRE Munich Summer 2030');
  const status = bot.follower!.status();
  // Polling, not the failure retry: no fetch failed, and the next poll is scheduled.
  expect(status.lastError).toBeUndefined();
  expect(status.nextRetryAt).toBeUndefined();

  await waitFor(async () => (await (await fetch(`${bot.http.url}/calendar.ics`)).text()).includes('SUMMARY:SRE Munich Summer 2030'), 'the feed');
  await waitFor(() => output.includes(`Website ${sha.slice(0, 7)}: meetups 1 added`), 'the organizers’ report');
  expect(output).toContain('Grace Hopper: “Summer”');

  // Polling goes on after the first change: a second push is followed too.
  const second = repo.write('content/events/autumn-2030.md', post('SRE Munich Autumn 2030', '2030-10-09T18:30')).commit('Autumn');
  await waitFor(() => bot.follower!.status().revision?.sha === second, 'the second poll');
  expect(bot.data.current().catalogue.byId('autumn-2030')).toBeDefined();
});
