/**
 * The bot follows the website through polling alone: no webhook is configured or sent, no fetch has failed
 * (so the retry timer is not what runs), and a commit pushed to the real git server (git http-backend on
 * loopback) reaches the catalogue, the feed and the organizers' report on the EVENTS_POLL_MINUTES timer.
 */
import { post } from './git-posts';
import { WebsiteBot } from './website-bot';

jest.setTimeout(180_000);

// 1.2 s: the same timer as a deployment's 5 minutes, short enough for a test to wait on.
const site = new WebsiteBot({ prefix: 'sremuc-poll-', env: { EVENTS_POLL_MINUTES: '0.02' } });

beforeAll(() => site.start((repo) => repo.write('content/events/spring-2030.md', post('SRE Munich Spring 2030', '2030-04-10T18:30')).commit('Spring')));
afterAll(() => site.stop());

it('a pushed commit reaches the catalogue, the feed and the report through polling, with no webhook', async () => {
  expect(site.bot.data.current().catalogue.events.map((e) => e.id)).toEqual(['spring-2030']);
  const sha = site.repo.write('content/events/summer-2030.md', post('SRE Munich Summer 2030', '2030-07-10T18:30')).commit('Summer', 'Grace Hopper');

  await site.waitFor(() => site.bot.follower!.status().revision?.sha === sha, 'the poll to check out the pushed commit');
  expect(site.bot.data.current().catalogue.byId('summer-2030')?.title).toBe('SRE Munich Summer 2030');
  const status = site.bot.follower!.status();
  // Polling, not the failure retry: no fetch failed, and the next poll is scheduled.
  expect(status.lastError).toBeUndefined();
  expect(status.nextRetryAt).toBeUndefined();

  await site.waitFor(async () => (await (await fetch(`${site.bot.http.url}/calendar.ics`)).text()).includes('SUMMARY:SRE Munich Summer 2030'), 'the feed');
  await site.waitFor(() => site.output.includes(`Website ${sha.slice(0, 7)}: meetups 1 added`), 'the organizers’ report');
  expect(site.output).toContain('Grace Hopper: “Summer”');

  // Polling goes on after the first change: a second push is followed too.
  const second = site.repo.write('content/events/autumn-2030.md', post('SRE Munich Autumn 2030', '2030-10-09T18:30')).commit('Autumn');
  await site.waitFor(() => site.bot.follower!.status().revision?.sha === second, 'the second poll');
  expect(site.bot.data.current().catalogue.byId('autumn-2030')).toBeDefined();
});
