/**
 * The whole bot following a website repository on a real git server (git http-backend on loopback): the clone at
 * start, pushes through a signed webhook, page bundles, a post edited over several commits, a broken post, a
 * fetch failure, and what the organizers are told about each.
 */
import { createHmac } from 'node:crypto';
import { ManualClock } from '../helpers/clock';
import { berlin } from '../helpers/events';
import { IMAGE, post, SECTION_INDEX } from './git-posts';
import { WebsiteBot } from './website-bot';

// Every step spawns git processes; on a loaded 2-core CI machine one commit-push-fetch round takes seconds.
jest.setTimeout(180_000);

const SECRET = 'webhook-secret';
const clock = new ManualClock(berlin('2026-03-01T12:00'));
const site = new WebsiteBot({ prefix: 'sremuc-follow-', clock, env: { WEBHOOK_SECRET: SECRET } });

beforeAll(() =>
  site.start((repo) =>
    repo
      .write('content/events/_index.md', SECTION_INDEX)
      .write('content/events/spring-2026.md', post('SRE Munich Spring 2026', '2026-04-14T18:30'))
      .write('content/events/summer-2026/index.md', post('SRE Munich Summer 2026', '2026-07-08T18:30'))
      .write('content/events/summer-2026/venue.png', IMAGE)
      .write('content/events/summer-2026/notes.md', '# Notes for the hosts, a bundle resource\n')
      .write('config.toml', 'baseURL = "https://muc.sre.xyz/"\n')
      .commit('Two meetups'),
  ),
);
afterAll(() => site.stop());

/** A push as GitHub delivers it, to the bot's /webhooks/git; resolves when the fetch it started is done. */
async function webhook(body: Buffer, headers: Record<string, string>): Promise<Response> {
  const res = await fetch(`${site.bot.http.url}/webhooks/git`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  await site.bot.follower!.idle();
  return res;
}

function githubPush(sha: string, delivery: string, secret = SECRET, ref = 'refs/heads/main'): [Buffer, Record<string, string>] {
  const body = Buffer.from(JSON.stringify({ ref, after: sha }));
  return [body, { 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }];
}

async function pushed(sha: string, delivery: string): Promise<void> {
  const res = await webhook(...githubPush(sha, delivery));
  expect(res.status).toBe(202);
}


function organizerReports(): string[] {
  return site.output.split(/(?=\[post to #)/).filter((part) => part.startsWith('[post to #organizers]'));
}

async function eventFeed(id: string): Promise<{ uid: string; sequence: number; summary: string }> {
  const text = await (await fetch(`${site.bot.http.url}/events/${id}.ics`)).text();
  const field = (name: string) => new RegExp(`^${name}[^:]*:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  return { uid: field('UID'), sequence: Number(field('SEQUENCE') || 0), summary: field('SUMMARY') };
}

it('serves the clone at start: plain posts and page bundles, _index.md, images and bundle resources skipped quietly', () => {
  const { catalogue } = site.bot.data.current();
  expect(catalogue.events.map((e) => [e.id, e.title, e.source.file])).toEqual([
    ['spring-2026', 'SRE Munich Spring 2026', 'content/events/spring-2026.md'],
    ['summer-2026', 'SRE Munich Summer 2026', 'content/events/summer-2026/index.md'],
  ]);
  expect(site.bot.data.diagnostics().filter((d) => d.severity !== 'info')).toEqual([]);
  expect(site.bot.follower!.status()).toMatchObject({ branch: 'main', revision: { subject: 'Two meetups', author: 'Ada Organizer' } });
});

it('/healthz names the revision in service', async () => {
  const health = (await (await fetch(`${site.bot.http.url}/healthz`)).json()) as { ok: boolean; source: { revision: { sha: string }; branch: string } };
  expect(health).toMatchObject({ ok: true, events: 2, source: { branch: 'main', source: site.repo.url, revision: { sha: site.bot.follower!.status().revision!.sha } } });
});

it('refuses forged, unsigned and replayed webhooks, and ignores other branches, without fetching', async () => {
  const sha = site.repo.write('content/events/winter-2026.md', post('SRE Munich Winter 2026', '2026-12-02T18:30')).commit('Winter');
  const requests = site.server.requests;
  const [body, headers] = githubPush(sha, 'forged', 'not-the-secret');
  expect((await webhook(body, headers)).status).toBe(401);
  const { 'x-hub-signature-256': _signature, ...unsigned } = githubPush(sha, 'unsigned')[1];
  expect((await webhook(githubPush(sha, 'unsigned')[0], unsigned)).status).toBe(401);
  expect((await webhook(...githubPush(sha, 'other-branch', SECRET, 'refs/heads/preview'))).status).toBe(200);
  expect(site.server.requests).toBe(requests);
  expect(site.bot.data.current().catalogue.byId('winter-2026')).toBeUndefined();

  // The genuine delivery fetches; GitHub's redelivery of it (same X-GitHub-Delivery) is answered without acting.
  await pushed(sha, 'winter-push');
  expect(site.bot.data.current().catalogue.byId('winter-2026')?.title).toBe('SRE Munich Winter 2026');
  const afterFetch = site.server.requests;
  expect((await webhook(...githubPush(sha, 'winter-push'))).status).toBe(200);
  expect(site.server.requests).toBe(afterFetch);

  // The /agenda answer follows the push.
  await site.ask('/agenda winter', /SRE Munich Winter 2026[\s\S]*Owning your error budget/, 'the console answer');
});

it('follows a post edited over several commits: one UID, SEQUENCE bumped exactly when a visible field changed', async () => {
  const first = await eventFeed('spring-2026');
  expect(first.summary).toBe('SRE Munich Spring 2026');

  let sha = site.repo.write('content/events/spring-2026.md', post('SRE Munich Spring 2026 at Celonis', '2026-04-14T18:30')).commit('Retitle spring', 'Grace Hopper');
  await pushed(sha, 'delivery-1');
  const retitled = await eventFeed('spring-2026');
  expect(retitled).toEqual({ uid: first.uid, sequence: first.sequence + 1, summary: 'SRE Munich Spring 2026 at Celonis' });
  const report = organizerReports().at(-1)!;
  expect(report).toContain(`Website ${sha.slice(0, 7)}: meetups 1 changed`);
  expect(report).toContain('Grace Hopper: “Retitle spring”');
  expect(report).toMatch(/SRE Munich Spring 2026 at Celonis.*\(title\), content\/events\/spring-2026\.md/);

  // Only the publication date changes: nothing a member or a calendar sees, so no new SEQUENCE and no report.
  const reports = organizerReports().length;
  sha = site.repo.write('content/events/spring-2026.md', post('SRE Munich Spring 2026 at Celonis', '2026-04-14T18:30').replace('2026-01-05T10:00', '2026-01-06T10:00')).commit('Touch the post date');
  await pushed(sha, 'delivery-2');
  expect(site.bot.follower!.status().revision?.sha).toBe(sha);
  expect(await eventFeed('spring-2026')).toEqual(retitled);
  expect(organizerReports()).toHaveLength(reports);

  sha = site.repo.write('content/events/spring-2026.md', post('SRE Munich Spring 2026 at Celonis', '2026-04-15T18:30')).commit('Move spring by a day');
  await pushed(sha, 'delivery-3');
  expect(await eventFeed('spring-2026')).toEqual({ ...retitled, sequence: retitled.sequence + 1 });
  expect(organizerReports().at(-1)).toMatch(/\(date[,)]/);
});

it('a broken post keeps its last good version and the report names file:line, commit and author', async () => {
  const sha = site.repo
    .write('content/events/summer-2026/index.md', post('SRE Munich Summer 2026', '2026-07-08T18:30').replace('title: "SRE Munich Summer 2026"', 'title: "SRE Munich Summer 2026'))
    .write('content/events/autumn-2026.md', post('SRE Munich Autumn 2026', '2026-10-07T18:30'))
    .commit('Autumn, and a typo', 'Linus Pusher');
  await pushed(sha, 'delivery-4');
  const { catalogue } = site.bot.data.current();
  expect(catalogue.byId('summer-2026')?.title).toBe('SRE Munich Summer 2026');
  expect(catalogue.byId('autumn-2026')).toBeDefined();
  const report = organizerReports().at(-1)!;
  expect(report).toContain('meetups 1 added');
  expect(report).toContain(`Problems at ${sha.slice(0, 7)} by Linus Pusher`);
  expect(report).toMatch(/content\/events\/summer-2026\/index\.md:\d+: error: .*not valid YAML/);
});

it('a post with no meetup date: "date to be confirmed" in chat, the organizers told once which file needs eventDate', async () => {
  const text = `---\ntitle: "SRE Munich at Netlight 2026"\ndate: 2026-03-01T09:00:00+01:00\n---\n\nWe're excited to announce our next meetup, hosted by Netlight.\n`;
  const notice = (r: string) => r.includes('No meetup date: SRE Munich at Netlight 2026');
  await pushed(site.repo.write('content/events/netlight-2026.md', text).commit('Netlight, date follows'), 'netlight-1');
  expect(site.bot.data.current().catalogue.byId('netlight-2026')?.dateToBeConfirmed).toBe(true);
  await site.waitFor(() => organizerReports().some(notice), 'the notice');
  expect(organizerReports().find(notice)).toContain('content/events/netlight-2026.md');

  await site.ask('/agenda netlight', /SRE Munich at Netlight 2026[\s\S]*date to be confirmed/, 'the console answer');

  await pushed(site.repo.write('content/events/netlight-2026.md', text.replace('hosted by Netlight', 'hosted by Netlight Munich')).commit('Netlight wording'), 'netlight-2');
  expect(organizerReports().filter(notice)).toHaveLength(1);
});

it('a fetch that fails keeps the revision serving and is reported once, with the next try; its end is reported too', async () => {
  const serving = site.bot.follower!.status().revision!.sha;
  const before = organizerReports().length;
  site.server.failing = true;
  try {
    await site.bot.follower!.fetchNow('webhook');
    await site.bot.follower!.fetchNow('webhook');
  } finally {
    site.server.failing = false;
  }
  const status = site.bot.follower!.status();
  expect(status).toMatchObject({ revision: { sha: serving }, lastError: expect.stringContaining('503') });
  expect(status.nextRetryAt).toBe(clock.now().plus({ minutes: 5 }).toUTC().toISO());
  const failures = organizerReports().slice(before);
  expect(failures).toHaveLength(1);
  expect(failures[0]).toContain('Website repository: fetch failed');
  expect(failures[0]).toContain('Next try');
  expect(site.bot.data.current().catalogue.byId('autumn-2026')).toBeDefined();

  await site.bot.follower!.fetchNow('poll');
  expect(organizerReports().slice(before)).toHaveLength(2);
  expect(organizerReports().at(-1)).toContain('fetching works again');
  expect(site.bot.follower!.status().lastError).toBeUndefined();
});
