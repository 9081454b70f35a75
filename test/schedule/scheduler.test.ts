import { Outbox } from '../../src/schedule/outbox';
import { berlin } from '../helpers/events';
import { announcedThen, ANNOUNCE_CHANNELS, autumnMeetup, runMinutes, startWorld, type ScheduleWorld } from './harness';

const EVENT = 'sre-munich-autumn-event-2026';
const key = (rule: string, channel: string) => `rule:${rule}:${EVENT}:slack:${channel}`;
/** Berlin winter time as this Node's ICU names it ("CET", or "GMT+1" with reduced locale data). */
const CET = '(CET|GMT\\+1)';

describe('Scheduler with the real Slack adapter against the fake Slack', () => {
  let world: ScheduleWorld;

  afterEach(async () => {
    await world.close();
  });

  it('ticks across the DST switch: each default rule posts once per channel, at its Berlin time', async () => {
    world = await startWorld({ now: '2026-10-12T12:00' });
    const scheduler = world.scheduler();
    await scheduler.tick(); // first seen on 12 October, before the 14-day point
    world.clock.set(berlin('2026-10-13T09:00'));
    const posted = await runMinutes(world, scheduler, '2026-10-13T11:00');
    // Then Saturday 24 to Wednesday 28 October; summer time ends on Sunday 25 at 03:00. Every minute through the
    // switch night and the hours around each due time (a zone mistake would post an hour early or late there),
    // every ten minutes between them (a post falling due in a gap would show as an extra key or a report).
    world.clock.set(berlin('2026-10-24T00:00'));
    for (const [until, everyMinutes] of [
      ['2026-10-25T00:00', 10],
      ['2026-10-25T04:00', 1],
      ['2026-10-26T08:30', 10],
      ['2026-10-26T11:30', 1],
      ['2026-10-27T16:00', 10],
      ['2026-10-27T19:00', 1],
      ['2026-10-28T00:00', 10],
    ] as const) {
      posted.push(...(await runMinutes(world, scheduler, until, everyMinutes)));
    }

    // Minutes from the Berlin time each rule is due to its first post: 0 normally. On a loaded machine a post whose
    // request failed or timed out goes out a minute or two later, after the lookup (the keys below still show each
    // post exactly once); a time-zone mistake would be 60 minutes off.
    const lateBy = (rule: string, due: string) => {
      const first = posted.find((p) => p.key.startsWith(`rule:${rule}:`));
      return first ? berlin(first.at).diff(berlin(due), 'minutes').minutes : undefined;
    };
    for (const [rule, due] of [
      ['announce', '2026-10-13T10:00'], // CEST
      ['reminder', '2026-10-26T10:00'], // CET, the day after the switch
      ['doors-open', '2026-10-27T17:30'], // CET
    ] as const) {
      const late = lateBy(rule, due);
      expect({ rule, late }).toEqual({ rule, late: expect.any(Number) });
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(2);
    }
    for (const channel of ANNOUNCE_CHANNELS) {
      expect(world.keys(channel)).toEqual([key('announce', channel), key('reminder', channel), key('doors-open', channel)]);
    }
    expect(world.messages('C0ANNOUNCE')[1]?.text).toContain('Tomorrow: SRE Munich Autumn 2026, 18:30 at Celonis.');
    expect(world.reports()).toEqual([]);
  }, 240_000); // about 1,300 ticks

  it('announces a meetup published inside the 14 days on the first tick after it appears, then reminds as usual', async () => {
    world = await startWorld({ now: '2026-10-20T08:17', events: [] });
    const scheduler = world.scheduler();
    await scheduler.tick();
    expect(world.messages('C0ANNOUNCE')).toHaveLength(0);

    world.clock.advance({ minutes: 1 });
    world.events = [autumnMeetup()];
    const report = await scheduler.tick();
    expect(report).toMatchObject({ ran: true, sent: 3, failed: 0, skipped: 0 });
    expect(world.keys('C0MEETUPS')).toEqual([key('announce', 'C0MEETUPS')]);

    world.clock.set(berlin('2026-10-26T09:58'));
    await runMinutes(world, scheduler, '2026-10-26T10:02');
    world.clock.set(berlin('2026-10-27T17:28'));
    await runMinutes(world, scheduler, '2026-10-27T17:32');
    expect(world.keys('C0MEETUPS')).toEqual([key('announce', 'C0MEETUPS'), key('reminder', 'C0MEETUPS'), key('doors-open', 'C0MEETUPS')]);
  });

  it('a bot started long after the posts fell due skips them and tells the organizers once, in one summary', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    await scheduler.tick(); // seen, announced
    // Down from Monday 09:00 until Tuesday 21:00: the reminder and the doors-open post are both stale by then.
    world.clock.set(berlin('2026-10-27T21:00'));
    const report = await scheduler.start();
    await scheduler.stop();
    expect(report).toMatchObject({ sent: 0, skipped: 6, reported: 6 });
    expect(world.keys('C0ANNOUNCE')).toEqual([key('announce', 'C0ANNOUNCE')]);
    const reports = world.reports();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('Scheduled posts: 6 need attention');
    expect(reports[0]).toMatch(new RegExp(`reminder: SRE Munich Autumn 2026 → slack C0GENERAL, due Mon 26 Oct 2026, 10:00 ${CET}: it fell due while the bot was down or paused, more than 2 h ago`));
    expect(reports[0]).toContain('doors-open: SRE Munich Autumn 2026 → slack C0MEETUPS');

    world.clock.advance({ minutes: 1 });
    await scheduler.tick();
    expect(world.reports()).toHaveLength(1);
  });

  it('a post that fell due while down but is within the grace window goes out on the catch-up tick', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const first = world.scheduler();
    await first.tick();
    await first.stop();
    world.clock.set(berlin('2026-10-26T11:45'));
    const restarted = world.scheduler();
    const report = await restarted.start();
    await restarted.stop();
    expect(report).toMatchObject({ sent: 3, skipped: 0 });
    expect(world.keys('C0GENERAL')).toEqual([key('announce', 'C0GENERAL'), key('reminder', 'C0GENERAL')]);
  });

  it('while paused nothing is sent; on resume, what fell due recently goes out, stale posts are skipped and reported', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    const store = world.store();
    await scheduler.tick();
    const organizer = { platform: 'slack' as const, id: 'U1', name: 'anna', isOrganizer: true };

    world.clock.set(berlin('2026-10-26T09:00'));
    await store.pause(organizer);
    await runMinutes(world, scheduler, '2026-10-26T10:30');
    expect(world.keys('C0ANNOUNCE')).toEqual([key('announce', 'C0ANNOUNCE')]);

    await store.resume(organizer);
    const resumed = await scheduler.tick();
    expect(resumed).toMatchObject({ sent: 3, skipped: 0 });
    expect(world.keys('C0ANNOUNCE')).toEqual([key('announce', 'C0ANNOUNCE'), key('reminder', 'C0ANNOUNCE')]);

    // Paused from before the doors-open post until the evening: too late to say the doors open.
    world.clock.set(berlin('2026-10-27T17:00'));
    await store.pause(organizer);
    await runMinutes(world, scheduler, '2026-10-27T20:00');
    await store.resume(organizer);
    const late = await scheduler.tick();
    expect(late).toMatchObject({ sent: 0, skipped: 3, reported: 3 });
    expect(world.keys('C0ANNOUNCE')).toHaveLength(2);
    expect(world.reports()).toHaveLength(1);
    expect(world.reports()[0]).toContain('doors-open: SRE Munich Autumn 2026 → slack C0ANNOUNCE');
  });

  it('HTTP 500 is an unknown outcome: nothing is re-sent until the channel, looked up for a minute, does not have it', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ concurrency: 1 });
    await announcedThen(world, scheduler, '2026-10-26T10:00');
    world.bot.slack.fail('chat.postMessage', { status: 500 }); // not stored: Slack failed before posting
    world.bot.slack.fail('chat.postMessage', { storeThen: 500 }); // stored, but the answer says 500
    expect(await scheduler.tick()).toMatchObject({ sent: 1, unknown: 2, failed: 0 });
    expect(world.bot.slack.callsTo('chat.postMessage').slice(3).map((c) => c.status)).toEqual([500, 500, 200]);
    world.clock.advance({ seconds: 30 });
    expect(await scheduler.tick()).toMatchObject({ sent: 0, recovered: 1, waiting: 1 }); // the stored one is found
    world.clock.advance({ seconds: 31 });
    expect(await scheduler.tick()).toMatchObject({ sent: 1, recovered: 0 }); // the other is still absent: sent again
    for (const channel of ANNOUNCE_CHANNELS) expect(world.keys(channel)).toEqual([key('announce', channel), key('reminder', channel)]);
    expect(await new Outbox(world.db).get(key('reminder', 'C0ANNOUNCE'))).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a 429 is a clear refusal: tried again after Retry-After, no lookup needed, nothing doubled', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ concurrency: 1 });
    await announcedThen(world, scheduler, '2026-10-26T10:00');
    world.bot.slack.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 3);
    expect(await scheduler.tick()).toMatchObject({ sent: 0, retrying: 3 });
    world.clock.advance({ seconds: 2 });
    expect(await scheduler.tick()).toMatchObject({ sent: 3, failed: 0 });
    for (const channel of ANNOUNCE_CHANNELS) expect(world.keys(channel)).toEqual([key('announce', channel), key('reminder', channel)]);
    expect(world.bot.slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(3);
  });

  it('an outage that outlasts the post’s worth (a reminder: until the meetup starts) is reported once, not posted late', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ concurrency: 1, destinations: [{ platform: 'slack', channel: 'C0ANNOUNCE' }] });
    await scheduler.tick();
    world.clock.set(berlin('2026-10-27T16:00'));
    world.bot.slack.fail('chat.postMessage', { status: 500 }, 1_000);
    await runMinutes(world, scheduler, '2026-10-27T18:30');
    // The organizers' channel was down too: the report itself is retried, after a lookup, like any post.
    world.bot.slack.clearFaults();
    world.clock.advance({ minutes: 1 });
    await runMinutes(world, scheduler, '2026-10-27T18:35');
    expect(world.keys('C0ANNOUNCE')).toEqual([key('announce', 'C0ANNOUNCE')]);
    // (The reminder the day before was skipped as too late: the clock jumped over it.)
    const reports = world.reports().filter((text) => text.includes('doors-open'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/doors-open: SRE Munich Autumn 2026 → slack C0ANNOUNCE: outcome unknown: Slack chat.postMessage failed: HTTP 500; no longer worth posting after 2026-10-27T17:30/);
  });

  it('channel_not_found is not retried and is reported to the organizers once', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ concurrency: 1 });
    await announcedThen(world, scheduler, '2026-10-26T10:00');
    world.bot.slack.fail('chat.postMessage', { error: 'channel_not_found' });
    expect(await scheduler.tick()).toMatchObject({ sent: 2, failed: 1, reported: 1 });
    world.clock.advance({ minutes: 1 });
    await runMinutes(world, scheduler, '2026-10-26T10:30');

    expect(world.keys('C0ANNOUNCE')).toEqual([key('announce', 'C0ANNOUNCE')]);
    expect(world.keys('C0GENERAL')).toEqual([key('announce', 'C0GENERAL'), key('reminder', 'C0GENERAL')]);
    expect(world.reports()).toEqual([expect.stringContaining('reminder: SRE Munich Autumn 2026 → slack C0ANNOUNCE: Slack chat.postMessage failed: channel_not_found')]);
    expect(world.bot.slack.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0ANNOUNCE')).toHaveLength(2);
  });

  it('an agenda change after the announcement edits the posted messages (no new posts)', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    await scheduler.tick();
    const before = world.messages('C0ANNOUNCE')[0]!;
    expect(before.text).toContain('Upgrading thousands of stateful applications');

    const event = autumnMeetup();
    world.events = [{ ...event, talks: [{ ...event.talks[0]!, title: 'Operating ClickHouse at scale' }, event.talks[1]!], agenda: event.agenda.map((a) => (a.talkIndex === 0 ? { ...a, title: 'Talk 1: Operating ClickHouse at scale' } : a)) }];
    world.clock.advance({ minutes: 1 });
    expect(await scheduler.tick()).toMatchObject({ edited: 3, sent: 0 });
    world.clock.advance({ minutes: 1 });
    expect(await scheduler.tick()).toMatchObject({ edited: 0, sent: 0 });

    for (const channel of ANNOUNCE_CHANNELS) expect(world.messages(channel)).toHaveLength(1);
    const after = world.messages('C0ANNOUNCE')[0]!;
    expect(after).toMatchObject({ ts: before.ts, edited: true });
    expect(after.text).toContain('Talk 1: Operating ClickHouse at scale');
    expect(after.text).not.toContain('Upgrading thousands');
  });

  it('with onChange "update", an agenda change is one new update post per channel, once', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ onChange: 'update' });
    await announcedThen(world, scheduler, '2026-10-26T10:00');
    await scheduler.tick(); // the reminder
    expect(world.keys('C0ANNOUNCE')).toHaveLength(2);

    world.events = [autumnMeetup({ venue: 'Celonis, Theresienstraße 6' })];
    await runMinutes(world, scheduler, '2026-10-26T10:10');
    const keys = world.keys('C0ANNOUNCE');
    expect(keys).toHaveLength(3);
    expect(keys[2]).toMatch(new RegExp(`^update:${EVENT}:[0-9a-f]{16}:slack:C0ANNOUNCE$`));
    expect(world.messages('C0ANNOUNCE')[2]?.text).toContain('Update: the agenda of SRE Munich Autumn 2026');
    expect(world.messages('C0ANNOUNCE').some((m) => m.edited)).toBe(false);
  });

  it('a cancelled meetup gets a cancellation where it was announced, and its reminders are not posted', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    await scheduler.tick();
    world.clock.advance({ minutes: 1 });
    world.events = [autumnMeetup({ status: 'cancelled' })];
    expect(await scheduler.tick()).toMatchObject({ sent: 3 });
    for (const at of ['2026-10-26T10:00', '2026-10-27T17:30', '2026-10-27T18:30']) {
      world.clock.set(berlin(at));
      expect(await scheduler.tick()).toMatchObject({ sent: 0, skipped: 0 });
    }
    for (const channel of ANNOUNCE_CHANNELS) expect(world.keys(channel)).toEqual([key('announce', channel), `cancel:${EVENT}:slack:${channel}`]);
    expect(world.messages('C0GENERAL')[1]?.text).toMatch(new RegExp(`^Cancelled: SRE Munich Autumn 2026\nCancelled: SRE Munich Autumn 2026 on Tue 27 Oct 2026, 18:30 ${CET} will not take place`));
    // The announcement itself now says so too, for whoever scrolls up to it.
    expect(world.messages('C0GENERAL')[0]).toMatchObject({ edited: true, text: expect.stringMatching(/^Cancelled: SRE Munich Autumn 2026\n/) });
  });

  it('with onChange "update" too, a cancelled meetup\'s announcement is edited to say cancelled, once', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ onChange: 'update' });
    await scheduler.tick();
    world.clock.advance({ minutes: 1 });
    world.events = [autumnMeetup({ status: 'cancelled' })];
    await runMinutes(world, scheduler, '2026-10-20T12:10');
    for (const channel of ANNOUNCE_CHANNELS) {
      expect(world.keys(channel)).toEqual([key('announce', channel), `cancel:${EVENT}:slack:${channel}`]);
      expect(world.messages(channel)[0]).toMatchObject({ edited: true, text: expect.stringMatching(/^Cancelled: SRE Munich Autumn 2026\n/) });
    }
  });

  it('a meetup never announced gets no cancellation post', async () => {
    world = await startWorld({ now: '2026-09-01T12:00' });
    const scheduler = world.scheduler();
    await scheduler.tick();
    world.events = [autumnMeetup({ status: 'cancelled' })];
    await runMinutes(world, scheduler, '2026-09-01T12:10');
    expect(world.messages('C0ANNOUNCE')).toEqual([]);
  });

  it('reminds of the call for talks 7 days and 1 day before its deadline, at 10:00, once each', async () => {
    world = await startWorld({ now: '2026-12-01T12:00', events: [] });
    world.settings = { ...world.settings, cfp: { ...world.settings.cfp, deadline: '2026-12-15' } };
    const scheduler = world.scheduler();
    await scheduler.tick(); // the deadline is seen
    const posted = [];
    for (const [from, to] of [
      ['2026-12-08T09:58', '2026-12-08T10:05'],
      ['2026-12-14T09:58', '2026-12-14T10:05'],
    ]) {
      world.clock.set(berlin(from!));
      posted.push(...(await runMinutes(world, scheduler, to!)));
    }
    expect(posted.filter((p) => p.channel === 'C0ANNOUNCE').map((p) => [p.key, p.at])).toEqual([
      ['rule:cfp-week:cfp-2026-12-15:slack:C0ANNOUNCE', '2026-12-08T10:00:00.000+01:00'],
      ['rule:cfp-tomorrow:cfp-2026-12-15:slack:C0ANNOUNCE', '2026-12-14T10:00:00.000+01:00'],
    ]);
    expect(world.messages('C0GENERAL').map((m) => m.text)).toEqual([
      expect.stringContaining('The call for talks closes in 7 days (Tue 15 Dec 2026).'),
      expect.stringContaining('The call for talks closes tomorrow (Tue 15 Dec 2026). Last chance to submit with /cfp or muc@sre.xyz'),
    ]);
  });

  it('paces posts to one channel (~1/s on Slack): a burst of scheduled posts meets no 429', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler({ rateLimits: { perChannelMs: { slack: 1_100 }, perSecond: {} } });
    await announcedThen(world, scheduler, '2026-10-26T09:00');
    world.bot.slack.limitPostsPerChannel(1);
    const store = world.store();
    const organizer = { platform: 'slack' as const, id: 'U1', name: 'anna', isOrganizer: true };
    for (const text of ['Pizza is here', 'Talks start in 10 minutes', 'Stream link is up']) await store.schedule('09:30', { text }, organizer);
    world.clock.set(berlin('2026-10-26T09:30'));
    await runMinutes(world, scheduler, '2026-10-26T09:33');
    expect(world.bot.slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(0);
    expect(world.messages('C0MEETUPS').slice(1).map((m) => m.text)).toEqual(['Pizza is here', 'Talks start in 10 minutes', 'Stream link is up']);
  });
});
