/**
 * A post deleted from the website's repository (real git server on loopback, the whole bot, console chat):
 * an upcoming meetup stays as it was until an organizer confirms, then is served as cancelled (feed STATUS and
 * SEQUENCE, the announcement edited, a cancellation posted), also after a restart; a restored post simply comes
 * back; a past meetup's deleted post leaves at once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot, type Bot } from '../../src/bot';
import { loadConfig, type Config } from '../../src/config';
import { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/log';
import { GitServer, type TestRepository } from '../fakes/git-server';
import { parseWithNodeIcal } from '../feeds/ics';
import { berlin } from '../helpers/events';
import { botDatabaseEnv } from '../helpers/db';
import { post, SETTINGS } from './git-posts';

jest.setTimeout(180_000);

/** The shipped rules: "announce" goes out at once for a meetup seen less than 14 days ahead. */
const RULES = readFileSync(path.resolve(__dirname, '..', '..', 'data', 'announcements.yml'), 'utf8');

let server: GitServer;
let repo: TestRepository;
let dir: string;
let config: Config;
let bot: Bot;
let input: PassThrough;
let output = '';
const clock = new ManualClock(berlin('2026-04-05T12:00'));

async function startBot(): Promise<void> {
  input = new PassThrough();
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot = await createBot(config, { clock, input, output: out, log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
  await bot.start();
}

beforeAll(async () => {
  server = new GitServer();
  await server.start();
  repo = server.repository('website');
  repo
    .write('content/events/spring-2026.md', post('SRE Munich Spring 2026', '2026-04-14T18:30'))
    .write('content/events/summer-2026.md', post('SRE Munich Summer 2026', '2026-07-08T18:30'))
    .write('content/events/winter-2025.md', post('SRE Munich Winter 2025', '2025-12-03T18:30'))
    .commit('Three meetups');
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-removal-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'settings.yml'), SETTINGS);
  writeFileSync(path.join(dir, 'data', 'announcements.yml'), RULES);
  config = loadConfig({
    DATA_DIR: path.join(dir, 'data'),
    ...(await botDatabaseEnv(dir)),
    HTTP_PORT: '0',
    CONSOLE_CHAT: 'true',
    EVENTS_SOURCE: repo.url,
    EVENTS_POLL_MINUTES: '0',
  });
  await startBot();
});

afterAll(async () => {
  await bot?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}\n${output.slice(-3000)}`);
}

function posts(channel: string): string[] {
  return output.split(/(?=\[(?:post to|edit \S+ in) #)/).filter((part) => part.startsWith(`[post to #${channel}]`));
}

async function feedEvent(id: string) {
  const res = await fetch(`${bot.http.url}/events/${id}.ics`);
  if (res.status !== 200) return undefined;
  return parseWithNodeIcal(await res.text()).events[0];
}

/** What /announce preview lists as planned, as the console prints it. */
async function preview(): Promise<string> {
  const from = output.length;
  input.write('/announce preview\n');
  await waitFor(() => /Planned posts[\s\S]*\/announce preview <id>/.test(output.slice(from)), 'the preview');
  return output.slice(from);
}

async function push(subject: string): Promise<string> {
  const sha = repo.commit(subject);
  await bot.follower!.fetchNow('webhook');
  return sha;
}

it('an upcoming meetup whose post is deleted stays as it was, and the organizers are asked to confirm', async () => {
  await waitFor(() => posts('announcements').some((p) => p.includes('SRE Munich Spring 2026')), 'the announcement of spring');
  const before = await feedEvent('spring-2026');
  expect(before).toMatchObject({ summary: 'SRE Munich Spring 2026', status: 'CONFIRMED' });
  expect(await preview()).toContain('reminder: SRE Munich Spring 2026');

  repo.remove('content/events/spring-2026.md').remove('content/events/winter-2025.md');
  const sha = await push('Remove spring and an old post');
  await waitFor(() => posts('organizers').some((p) => p.includes('Post removed: SRE Munich Spring 2026')), 'the confirmation request');

  // Still served as it was: chat, catalogue and feed (same UID, no new SEQUENCE).
  expect(bot.data.current().catalogue.byId('spring-2026')).toMatchObject({ title: 'SRE Munich Spring 2026', status: 'scheduled' });
  expect(await feedEvent('spring-2026')).toMatchObject({ uid: before!.uid, sequence: before!.sequence, status: 'CONFIRMED' });
  const request = posts('organizers').find((p) => p.includes('Post removed: SRE Munich Spring 2026'))!;
  expect(request).toContain('content/events/spring-2026.md');
  expect(request).toContain('[Confirm: cancel the meetup]');
  expect(request).toContain('/removals confirm spring-2026');

  // The past meetup's post leaves at once and the report lists it as removed; spring as held.
  expect(bot.data.current().catalogue.byId('winter-2025')).toBeUndefined();
  const report = posts('organizers').find((p) => p.includes(`Website ${sha.slice(0, 7)}`))!;
  expect(report).toContain('meetups 1 removed, 1 removed pending confirmation');
  expect(report).toMatch(/Removed\n.*SRE Munich Winter 2025/);
  expect(report).toMatch(/Removed, kept until you confirm\n.*SRE Munich Spring 2026/);
  // Nothing went to the members, and nothing new is planned about it while the organizers decide.
  expect(posts('announcements').some((p) => /Cancelled/.test(p))).toBe(false);
  expect(await preview()).not.toContain('SRE Munich Spring 2026');
});

it('a post restored before confirmation simply comes back; nothing is posted', async () => {
  const text = post('SRE Munich Summer 2026', '2026-07-08T18:30');
  repo.remove('content/events/summer-2026.md');
  await push('Oops, summer removed');
  await waitFor(() => posts('organizers').some((p) => p.includes('Post removed: SRE Munich Summer 2026')), 'the request for summer');
  const announcements = posts('announcements').length;
  repo.write('content/events/summer-2026.md', text);
  await push('Restore summer');
  expect(bot.data.current().catalogue.byId('summer-2026')).toMatchObject({ status: 'scheduled', source: { file: 'content/events/summer-2026.md' } });
  const list = output.length;
  input.write('/removals\n');
  await waitFor(() => output.slice(list).includes('Removed posts'), 'the list');
  expect(output.slice(list)).not.toContain('Summer');
  expect(output.slice(list)).toContain('SRE Munich Spring 2026');
  expect(posts('announcements')).toHaveLength(announcements);
});

it('on confirmation the meetup is cancelled: feed STATUS:CANCELLED with a new SEQUENCE, the announcement edited, a cancellation posted', async () => {
  const before = (await feedEvent('spring-2026'))!;
  const from = output.length;
  input.write('/removals confirm spring-2026\n');
  await waitFor(() => output.slice(from).includes('Confirmed: SRE Munich Spring 2026 is cancelled'), 'the confirmation');
  await waitFor(() => /\[edit \S+ in #announcements\][^[]*Cancelled: SRE Munich Spring 2026/.test(output.slice(from)), 'the edited announcement');
  await waitFor(() => posts('announcements').some((p) => p.includes('Cancelled: SRE Munich Spring 2026')), 'the cancellation post');

  expect(bot.data.current().catalogue.byId('spring-2026')?.status).toBe('cancelled');
  const after = (await feedEvent('spring-2026'))!;
  expect(after).toMatchObject({ uid: before.uid, status: 'CANCELLED', sequence: before.sequence + 1 });
  const calendar = parseWithNodeIcal(await (await fetch(`${bot.http.url}/calendar.ics`)).text());
  expect(calendar.events.find((e) => e.uid === before.uid)?.status).toBe('CANCELLED');

  // Confirming twice says so.
  const again = output.length;
  input.write('/removals confirm spring-2026\n');
  await waitFor(() => output.slice(again).includes('already confirmed as cancelled'), 'the second confirmation');
});

it('the confirmed cancellation survives a restart (bot_state), and restoring the post afterwards brings it back', async () => {
  await bot.stop();
  await startBot();
  expect(bot.data.current().catalogue.byId('spring-2026')).toMatchObject({ status: 'cancelled', title: 'SRE Munich Spring 2026' });
  expect((await feedEvent('spring-2026'))?.status).toBe('CANCELLED');

  repo.write('content/events/spring-2026.md', post('SRE Munich Spring 2026', '2026-04-14T18:30'));
  await push('Spring is on after all');
  expect(bot.data.current().catalogue.byId('spring-2026')?.status).toBe('scheduled');
  expect((await feedEvent('spring-2026'))?.status).toBe('CONFIRMED');
});
