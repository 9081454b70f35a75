/**
 * A community whose posts come from its website's repository (`repository:` in its settings.yml), next to one
 * served from its folder: cloned at start from a real git server (git http-backend on loopback), served under
 * /c/<slug>/, and a push to /c/<slug>/webhooks/git brings a new post into that community alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { GitServer, type TestRepository } from '../fakes/git-server';
import { sharedDb } from '../helpers/db';

const SECRET = 'repository-webhook-secret';
const server = new GitServer();
let repo: TestRepository;
let root: string;
let bot: Bot;

const event = (title: string, start: string) => [`title: ${title}`, `start: ${start}`, 'end: 2030-01-01T23:00', 'venue: c-base'].join('\n');

beforeAll(async () => {
  await server.start();
  repo = server.repository('k8s-website');
  repo.write('content/events/k8s-2029-11.yml', event('Kubernetes Berlin November 2029', '2029-11-20T18:30')).commit('first post');
  root = mkdtempSync(path.join(tmpdir(), 'sremuc-community-repo-'));
  for (const [slug, settings] of [
    ['k8s-berlin', ['name: Kubernetes Berlin', `repository: { url: "${repo.url}", branch: ${repo.branch} }`]],
    ['sre-munich', ['name: SRE Munich']],
  ] as const) {
    mkdirSync(path.join(root, 'communities', slug, 'events'), { recursive: true });
    writeFileSync(path.join(root, 'communities', slug, 'settings.yml'), settings.join('\n'));
  }
  writeFileSync(path.join(root, 'communities', 'sre-munich', 'events', 'muc-2029-11.yml'), event('SRE Munich November 2029', '2029-11-21T18:30'));
  const database = sharedDb(root);
  await (await database.open()).close();
  const config = loadConfig({
    COMMUNITIES_DIR: path.join(root, 'communities'),
    ...database.env,
    // The clone goes beside the database; on PostgreSQL, beside this path all the same.
    DATABASE_PATH: path.join(root, 'var', 'bot.db'),
    HTTP_PORT: '0',
    CONSOLE_CHAT: 'false',
    EVENTS_POLL_MINUTES: '0',
    WEBHOOK_SECRET: SECRET,
  });
  bot = await createBot(config, { input: new PassThrough(), output: new PassThrough(), log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const calendar = async (slug: string) => (await fetch(`${bot.http.url}/c/${slug}/calendar.ics`)).text();

async function push(slug: string, ref: string): Promise<number> {
  const body = JSON.stringify({ ref });
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const res = await fetch(`${bot.http.url}/c/${slug}/webhooks/git`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'x-github-event': 'push', 'x-github-delivery': 'delivery-1' }, body });
  return res.status;
}

describe('a community from its website repository', () => {
  it('serves the posts of its repository, and the other community its folder', async () => {
    expect(await calendar('k8s-berlin')).toContain('SUMMARY:Kubernetes Berlin November 2029');
    expect(await calendar('k8s-berlin')).not.toContain('SRE Munich');
    expect(await calendar('sre-munich')).toContain('SUMMARY:SRE Munich November 2029');
  });

  it('takes a push to its webhook: the new post reaches its feed only', async () => {
    repo.write('content/events/k8s-2029-12.yml', event('Kubernetes Berlin December 2029', '2029-12-11T18:30')).commit('second post');
    expect(await push('k8s-berlin', `refs/heads/${repo.branch}`)).toBeLessThan(300);
    for (let i = 0; i < 600 && !(await calendar('k8s-berlin')).includes('December 2029'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await calendar('k8s-berlin')).toContain('SUMMARY:Kubernetes Berlin December 2029');
    expect(await calendar('sre-munich')).not.toContain('Kubernetes');
    expect((await fetch(`${bot.http.url}/c/sre-munich/webhooks/git`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
