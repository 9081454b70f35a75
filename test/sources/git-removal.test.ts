/**
 * A post deleted from the website's repository (real git server on loopback, the whole bot, console chat):
 * an upcoming meetup stays as it was until an organizer confirms, then is served as cancelled (feed STATUS and
 * SEQUENCE, the announcement edited, a cancellation posted), also after a restart; a restored post simply comes
 * back; a past meetup's deleted post leaves at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../helpers/clock';
import { parseWithNodeIcal } from '../feeds/ics';
import { berlin } from '../helpers/events';
import { post } from './git-posts';
import { WebsiteBot } from './website-bot';

jest.setTimeout(180_000);

/** The shipped rules: "announce" goes out at once for a meetup seen less than 14 days ahead. */
const RULES = readFileSync(path.resolve(__dirname, '..', '..', 'data', 'announcements.yml'), 'utf8');

const clock = new ManualClock(berlin('2026-04-05T12:00'));
const site = new WebsiteBot({ prefix: 'sremuc-removal-', clock, rules: RULES });

beforeAll(() =>
  site.start((repo) =>
    repo
      .write('content/events/spring-2026.md', post('SRE Munich Spring 2026', '2026-04-14T18:30'))
      .write('content/events/summer-2026.md', post('SRE Munich Summer 2026', '2026-07-08T18:30'))
      .write('content/events/winter-2025.md', post('SRE Munich Winter 2025', '2025-12-03T18:30'))
      .commit('Three meetups'),
  ),
);
afterAll(() => site.stop());

function posts(channel: string): string[] {
  return site.output.split(/(?=\[(?:post to|edit \S+ in) #)/).filter((part) => part.startsWith(`[post to #${channel}]`));
}

async function feedEvent(id: string) {
  const res = await fetch(`${site.bot.http.url}/events/${id}.ics`);
  if (res.status !== 200) return undefined;
  return parseWithNodeIcal(await res.text()).events[0];
}

/** What /announce preview lists as planned, as the console prints it. */
async function preview(): Promise<string> {
  return site.ask('/announce preview', /Planned posts[\s\S]*\/announce preview <id>/, 'the preview');
}

async function push(subject: string): Promise<string> {
  const sha = site.repo.commit(subject);
  await site.bot.follower!.fetchNow('webhook');
  return sha;
}

it('an upcoming meetup whose post is deleted stays as it was, and the organizers are asked to confirm', async () => {
  await site.waitFor(() => posts('announcements').some((p) => p.includes('SRE Munich Spring 2026')), 'the announcement of spring');
  const before = await feedEvent('spring-2026');
  expect(before).toMatchObject({ summary: 'SRE Munich Spring 2026', status: 'CONFIRMED' });
  expect(await preview()).toContain('reminder: SRE Munich Spring 2026');

  site.repo.remove('content/events/spring-2026.md').remove('content/events/winter-2025.md');
  const sha = await push('Remove spring and an old post');
  await site.waitFor(() => posts('organizers').some((p) => p.includes('Post removed: SRE Munich Spring 2026')), 'the confirmation request');

  // Still served as it was: chat, catalogue and feed (same UID, no new SEQUENCE).
  expect(site.bot.data.current().catalogue.byId('spring-2026')).toMatchObject({ title: 'SRE Munich Spring 2026', status: 'scheduled' });
  expect(await feedEvent('spring-2026')).toMatchObject({ uid: before!.uid, sequence: before!.sequence, status: 'CONFIRMED' });
  const request = posts('organizers').find((p) => p.includes('Post removed: SRE Munich Spring 2026'))!;
  expect(request).toContain('content/events/spring-2026.md');
  expect(request).toContain('[Confirm: cancel the meetup]');
  expect(request).toContain('/removals confirm spring-2026');

  // The past meetup's post leaves at once and the report lists it as removed; spring as held.
  expect(site.bot.data.current().catalogue.byId('winter-2025')).toBeUndefined();
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
  site.repo.remove('content/events/summer-2026.md');
  await push('Oops, summer removed');
  await site.waitFor(() => posts('organizers').some((p) => p.includes('Post removed: SRE Munich Summer 2026')), 'the request for summer');
  const announcements = posts('announcements').length;
  site.repo.write('content/events/summer-2026.md', text);
  await push('Restore summer');
  expect(site.bot.data.current().catalogue.byId('summer-2026')).toMatchObject({ status: 'scheduled', source: { file: 'content/events/summer-2026.md' } });
  const list = await site.ask('/removals', 'Removed posts', 'the list');
  expect(list).not.toContain('Summer');
  expect(list).toContain('SRE Munich Spring 2026');
  expect(posts('announcements')).toHaveLength(announcements);
});

it('on confirmation the meetup is cancelled: feed STATUS:CANCELLED with a new SEQUENCE, the announcement edited, a cancellation posted', async () => {
  const before = (await feedEvent('spring-2026'))!;
  const from = site.output.length;
  await site.ask('/removals confirm spring-2026', 'Confirmed: SRE Munich Spring 2026 is cancelled', 'the confirmation');
  await site.waitFor(() => /\[edit \S+ in #announcements\][^[]*Cancelled: SRE Munich Spring 2026/.test(site.output.slice(from)), 'the edited announcement');
  await site.waitFor(() => posts('announcements').some((p) => p.includes('Cancelled: SRE Munich Spring 2026')), 'the cancellation post');

  expect(site.bot.data.current().catalogue.byId('spring-2026')?.status).toBe('cancelled');
  const after = (await feedEvent('spring-2026'))!;
  expect(after).toMatchObject({ uid: before.uid, status: 'CANCELLED', sequence: before.sequence + 1 });
  const calendar = parseWithNodeIcal(await (await fetch(`${site.bot.http.url}/calendar.ics`)).text());
  expect(calendar.events.find((e) => e.uid === before.uid)?.status).toBe('CANCELLED');

  // Confirming twice says so.
  await site.ask('/removals confirm spring-2026', 'already confirmed as cancelled', 'the second confirmation');
});

it('the confirmed cancellation survives a restart (bot_state), and restoring the post afterwards brings it back', async () => {
  await site.bot.stop();
  await site.startBot();
  expect(site.bot.data.current().catalogue.byId('spring-2026')).toMatchObject({ status: 'cancelled', title: 'SRE Munich Spring 2026' });
  expect((await feedEvent('spring-2026'))?.status).toBe('CANCELLED');

  site.repo.write('content/events/spring-2026.md', post('SRE Munich Spring 2026', '2026-04-14T18:30'));
  await push('Spring is on after all');
  expect(site.bot.data.current().catalogue.byId('spring-2026')?.status).toBe('scheduled');
  expect((await feedEvent('spring-2026'))?.status).toBe('CONFIRMED');
});
