/**
 * /announce through the real dispatcher (the path every adapter takes), then once end to end through the real
 * Slack adapter (signed slash command) and the real Discord adapter (interaction with a subcommand).
 */
import { lazyMemoryDb } from '../helpers/db';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import { createDispatcher } from '../../src/chat/dispatch';
import { toPlainText, type CommandReply } from '../../src/chat/message';
import type { Caller, CommandServices } from '../../src/commands/definition';
import { loadCommands } from '../../src/commands/registry';
import { ManualClock } from '../helpers/clock';
import { createLogger } from '../../src/log';
import { AnnouncementStore } from '../../src/schedule/announcements';
import { startDiscordBot } from '../chat/discord-harness';
import { SIGNING_SECRET, startSlackBot } from '../chat/slack-harness';
import { PERMISSIONS } from '../fakes/discord';
import { berlin, makeSettings } from '../helpers/events';
import { makeServices, TEST_FEEDS } from '../helpers/services';
import { autumnMeetup, RULES, SLACK_DESTINATIONS } from '../schedule/harness';

const commands = loadCommands();
const organizer: Caller = { platform: 'slack', id: 'U0ORGA', name: 'ingo', isOrganizer: true, channel: 'C0GENERAL' };
const member: Caller = { platform: 'slack', id: 'U0MEMBER', name: 'member', isOrganizer: false, channel: 'C0GENERAL' };

function setup() {
  const clock = new ManualClock(berlin('2026-10-20T12:00'));
  const events: MeetupEvent[] = [autumnMeetup()];
  const source = () => ({ catalogue: new Catalogue(events), settings: makeSettings() });
  const store = new AnnouncementStore({ db: lazyMemoryDb(), clock, community: { id: '', source, rules: RULES, destinations: SLACK_DESTINATIONS, feeds: TEST_FEEDS } });
  const services: CommandServices = makeServices({
    catalogue: () => source().catalogue,
    settings: () => source().settings,
    now: () => clock.now(),
    announcements: store,
  });
  return { clock, events, store, services, dispatcher: createDispatcher(commands, services, createLogger('silent')) };
}

function textOf(reply: CommandReply): string {
  if (!('message' in reply)) throw new Error('expected a message');
  expect(reply.message.ephemeral).toBe(true);
  return toPlainText(reply.message);
}

describe('/announce through the dispatcher', () => {
  it('is for organizers only', async () => {
    const { dispatcher, store } = setup();
    const text = textOf(await dispatcher.runText('announce', 'schedule in 2h Hello', member));
    expect(text).toMatch(/organizers/i);
    expect(await store.list()).toEqual([]);
  });

  it('schedule with a time of several words, as Slack delivers it, then list', async () => {
    const { dispatcher, store } = setup();
    const scheduled = textOf(await dispatcher.runText('announce', 'schedule tomorrow 10:00 Doors open at 18:30, pizza from 18:45!', organizer));
    expect(scheduled).toMatch(/^Scheduled #1\nPosts Wed 21 Oct 2026, 10:00 \S+ to slack C0ANNOUNCE, slack C0GENERAL, slack C0MEETUPS\./);
    expect(scheduled).toContain('“Doors open at 18:30, pizza from 18:45!”');
    expect((await store.list())[0]).toMatchObject({ id: 1, text: 'Doors open at 18:30, pizza from 18:45!', createdBy: 'slack:ingo' });

    const listed = textOf(await dispatcher.runText('announce', 'list', organizer));
    expect(listed).toMatch(/^Scheduled posts\n#1 · Wed 21 Oct 2026, 10:00 \S+ · “Doors open at 18:30, pizza from 18:45!” · by slack:ingo/);
  });

  it('accepts a quoted time, an ISO time with T, and "next" for the next meetup', async () => {
    const { dispatcher, store } = setup();
    await dispatcher.runText('announce', 'schedule "2026-12-01 18:00" Happy December!', organizer);
    await dispatcher.runText('announce', 'schedule 2026-10-26T09:00 next', organizer);
    expect((await store.list()).map((p) => [p.dueAt.toISO(), p.text, p.eventId])).toEqual([
      ['2026-10-26T09:00:00.000+01:00', undefined, 'sre-munich-autumn-event-2026'],
      ['2026-12-01T18:00:00.000+01:00', 'Happy December!', undefined],
    ]);
  });

  it('takes Discord-style options the same way', async () => {
    const { dispatcher, store } = setup();
    const reply = await dispatcher.run('announce', { subcommand: 'schedule', options: { when: '2026-12-01 18:00', what: 'Line one\nLine two' } }, { ...organizer, platform: 'discord' });
    expect(textOf(reply)).toContain('Scheduled #1');
    expect((await store.list())[0]).toMatchObject({ text: 'Line one\nLine two', createdBy: 'discord:ingo' });
  });

  it('explains a time it cannot read or that has passed, and schedules nothing', async () => {
    const { dispatcher, store } = setup();
    expect(textOf(await dispatcher.runText('announce', 'schedule someday Hello', organizer))).toMatch(/^Start with when to post, like "2026-12-01 18:00", .* then the text or a meetup id\.$/);
    expect(textOf(await dispatcher.runText('announce', 'schedule 2026-10-19 10:00 Hello', organizer))).toMatch(/^Mon 19 Oct 2026, 10:00 \S+ is in the past/);
    expect(textOf(await dispatcher.runText('announce', 'schedule in 2h', organizer))).toBe('Say what to post: text, or a meetup id such as "next".');
    expect(await store.list()).toEqual([]);
  });

  it('cancel, preview one and preview everything', async () => {
    const { dispatcher } = setup();
    await dispatcher.runText('announce', 'schedule 2026-10-26 18:00 We also stream the talks: https://example.org/live', organizer);
    const one = textOf(await dispatcher.runText('announce', 'preview 1', organizer));
    expect(one).toMatch(/^Preview of #1: posts Mon 26 Oct 2026, 18:00 \S+ to slack C0ANNOUNCE, slack C0GENERAL, slack C0MEETUPS\. It will look like this:\n\nWe also stream the talks: https:\/\/example\.org\/live$/);

    const all = textOf(await dispatcher.runText('announce', 'preview', organizer));
    expect(all.split('\n').filter((l) => / · /.test(l))).toEqual([
      expect.stringMatching(/^Tue 20 Oct 2026, 12:00 \S+ · announce: SRE Munich Autumn 2026 → slack C0ANNOUNCE, slack C0GENERAL, slack C0MEETUPS$/),
      expect.stringMatching(/^Mon 26 Oct 2026, 10:00 \S+ · reminder: SRE Munich Autumn 2026 → slack C0ANNOUNCE, slack C0GENERAL, slack C0MEETUPS$/),
      expect.stringMatching(/^Mon 26 Oct 2026, 18:00 \S+ · \/announce #1 by slack:ingo: "We also stream the talks: https:\/\/example\.org\/live" → slack C0ANNOUNCE/),
      expect.stringMatching(/^Tue 27 Oct 2026, 17:30 \S+ · doors-open: SRE Munich Autumn 2026 → slack C0ANNOUNCE/),
    ]);
    expect(all).toContain('Tomorrow: SRE Munich Autumn 2026, 18:30 at Celonis.');

    expect(textOf(await dispatcher.runText('announce', 'cancel 1', organizer))).toMatch(/^Cancelled #1 \(it was due Mon 26 Oct 2026, 18:00 \S+\)\. Nothing of it will be posted\.$/);
    expect(textOf(await dispatcher.runText('announce', 'cancel 1', organizer))).toBe('#1 was cancelled.');
    expect(textOf(await dispatcher.runText('announce', 'preview 7', organizer))).toBe('There is no scheduled post #7. /announce list shows them.');
  });

  it('pause and resume, and what list and schedule say meanwhile', async () => {
    const { dispatcher, store } = setup();
    expect(textOf(await dispatcher.runText('announce', 'pause', organizer))).toMatch(/^Announcements are paused: nothing is posted until \/announce resume\./);
    expect(await store.paused()).toBeDefined();
    expect(textOf(await dispatcher.runText('announce', 'list', organizer))).toMatch(/Announcements are paused \(by slack:ingo since Tue 20 Oct 2026, 12:00 \S+\)/);
    expect(textOf(await dispatcher.runText('announce', 'schedule in 1h Hi', organizer))).toContain('Announcements are paused\nIt goes out only if /announce resume comes before it is too late.');
    expect(textOf(await dispatcher.runText('announce', 'resume', organizer))).toBe('Announcements resumed. Recent posts that fell due during the pause go out within a minute.');
    expect(textOf(await dispatcher.runText('announce', 'resume', organizer))).toBe('Announcements were not paused.');
  });
});

describe('/announce end to end', () => {
  it('Slack: a signed /announce schedule from an organizer is answered privately in the ack', async () => {
    const { services, store } = setup();
    // The database is ready before the bot serves, as at start-up (on PostgreSQL a fresh schema takes a moment).
    await store.list();
    const bot = await startSlackBot({ commands, dispatcher: createDispatcher(commands, services, createLogger('silent')), config: { organizerUserIds: ['U0ORGA'] } });
    try {
      const fields = bot.slack.slashCommandFields('/announce', 'schedule tomorrow 10:00 Doors open at 18:30', { user_id: 'U0ORGA', user_name: 'ingo' });
      const answer = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, fields);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ response_type: 'ephemeral' });
      expect(String(answer.json?.text)).toContain('Scheduled #1');
      expect(await store.list()).toHaveLength(1);

      const refused = await bot.slack.sendSlashCommand(bot.eventsUrl, SIGNING_SECRET, bot.slack.slashCommandFields('/announce', 'pause'));
      expect(String(refused.json?.text)).toMatch(/organizers/i);
      expect(await store.paused()).toBeUndefined();
    } finally {
      await bot.stop();
    }
  });

  it('Discord: /announce schedule with its options from a member who may manage events', async () => {
    const { services, store } = setup();
    // The database is ready before the bot serves, as at start-up (on PostgreSQL a fresh schema takes a moment).
    await store.list();
    const bot = await startDiscordBot({ commands, services });
    try {
      const handle = bot.discord.dispatchInteraction({
        kind: 'command',
        name: 'announce',
        subcommand: 'schedule',
        options: { when: '2026-12-01 18:00', what: 'Happy December!' },
        member: { id: '1400000000000000008', username: 'ingo', permissions: PERMISSIONS.ManageEvents },
      });
      const callback = (await handle.firstCallback) as { type: number; data: { flags?: number; embeds?: { title?: string }[] } };
      expect(callback.type).toBe(4);
      expect(callback.data.flags).toBe(64);
      expect(callback.data.embeds?.[0]?.title).toBe('Scheduled #1');
      expect((await store.list())[0]).toMatchObject({ text: 'Happy December!', createdBy: 'discord:ingo' });
    } finally {
      await bot.stop();
    }
  });
});
