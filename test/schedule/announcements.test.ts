import { sql } from 'kysely';
import { lazyMemoryDb } from '../helpers/db';
import { Catalogue } from '../../src/catalogue/catalogue';
import { toPlainText } from '../../src/chat/message';
import { renderMessage } from '../../src/chat/slack/render';
import { ArgumentError, type Caller } from '../../src/commands/definition';
import { ManualClock } from '../helpers/clock';
import { AnnouncementStore } from '../../src/schedule/announcements';
import { berlin, makeSettings } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { ANNOUNCE_CHANNELS, announcedThen, autumnMeetup, RULES, SLACK_DESTINATIONS, startWorld, type ScheduleWorld } from './harness';

const anna: Caller = { platform: 'slack', id: 'U0ANNA', name: 'anna', isOrganizer: true };

function makeStore(now = '2026-10-20T12:00', destinations = SLACK_DESTINATIONS) {
  const db = lazyMemoryDb();
  const clock = new ManualClock(berlin(now));
  const events = [autumnMeetup()];
  const store = new AnnouncementStore({
    db,
    clock,
    community: { id: '', source: () => ({ catalogue: new Catalogue(events), settings: makeSettings() }), rules: RULES, destinations, feeds: TEST_FEEDS },
  });
  return { db, clock, events, store };
}

async function argumentError(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ArgumentError) return error.message;
    throw error;
  }
  throw new Error('expected an ArgumentError');
}

describe('AnnouncementStore.schedule', () => {
  it('stores a post at the Berlin time typed, by whom, and lists it', async () => {
    const { store } = makeStore();
    const post = await store.schedule('tomorrow 10:00', { text: 'Pizza order closes at noon' }, anna);
    expect(post).toMatchObject({ id: 1, text: 'Pizza order closes at noon', createdBy: 'slack:anna', status: 'scheduled' });
    expect(post.dueAt.toISO()).toBe('2026-10-21T10:00:00.000+02:00');
    const later = await store.schedule('2026-12-01 18:00', { eventId: 'sre-munich-autumn-event-2026' }, anna);
    expect(later.dueAt.toISO()).toBe('2026-12-01T18:00:00.000+01:00');
    expect((await store.list()).map((p) => [p.id, p.dueAt.zoneName])).toEqual([
      [1, 'Europe/Berlin'],
      [2, 'Europe/Berlin'],
    ]);
  });

  it('refuses what it cannot post, saying why', async () => {
    const { store } = makeStore();
    expect(await argumentError(() => store.schedule('someday', { text: 'x' }, anna))).toMatch(/^Cannot read "someday" as a time\. Write it like "2026-12-01 18:00", .* \(Europe\/Berlin time\)\.$/);
    expect(await argumentError(() => store.schedule('2026-10-20 11:00', { text: 'x' }, anna))).toMatch(/^Tue 20 Oct 2026, 11:00 \S+ is in the past \(it is now Tue 20 Oct 2026, 12:00 \S+\)\.$/);
    expect(await argumentError(() => store.schedule('2028-01-01 10:00', { text: 'x' }, anna))).toMatch(/more than a year ahead; check the year\.$/);
    expect(await argumentError(() => store.schedule('in 1h', { text: '   ' }, anna))).toBe('Say what to post: text, or a meetup id such as "next".');
    expect(await argumentError(() => store.schedule('in 1h', { text: 'x'.repeat(1901) }, anna))).toBe('The text is too long: at most 1900 characters, got 1901.');
    expect(await argumentError(() => store.schedule('in 1h', { eventId: 'sre-munich-nope' }, anna))).toBe('There is no meetup "sre-munich-nope". /events lists them with their ids.');
    expect(await argumentError(() => makeStore('2026-10-20T12:00', []).store.schedule('in 1h', { text: 'x' }, anna))).toMatch(/^No announce channels are configured/);
    expect(await store.list()).toEqual([]);
  });

  it('refuses to announce a cancelled meetup', async () => {
    const { store, events } = makeStore();
    events[0] = autumnMeetup({ status: 'cancelled' });
    expect(await argumentError(() => store.schedule('in 1h', { eventId: 'sre-munich-autumn-event-2026' }, anna))).toBe('SRE Munich Autumn 2026 is cancelled; the bot posts the cancellation by itself.');
  });
});

describe('AnnouncementStore.cancel', () => {
  it('drops a scheduled post once; unknown or finished ones are explained', async () => {
    const { store } = makeStore();
    const post = await store.schedule('in 2h', { text: 'x' }, anna);
    expect(await store.cancel(post.id, anna)).toMatchObject({ id: post.id, status: 'cancelled' });
    expect(await store.list()).toEqual([]);
    expect(await argumentError(() => store.cancel(post.id, anna))).toBe(`#${post.id} was cancelled.`);
    expect(await argumentError(() => store.cancel(99, anna))).toBe('There is no scheduled post #99. /announce list shows them.');
    expect(await argumentError(() => store.preview(post.id))).toBe(`#${post.id} was cancelled.`);
  });
});

describe('AnnouncementStore.preview', () => {
  it('without an id: every planned post of the coming 30 days, per channel, soonest first, recording nothing', async () => {
    const { store, db } = makeStore('2026-10-10T12:00');
    await store.schedule('2026-10-26 18:00', { text: 'Tomorrow we also stream the talks' }, anna);
    const planned = await store.preview();
    const lines = [...new Set(planned.map((p) => `${p.dueAt.toISO()} ${p.label}`))];
    expect(lines).toEqual([
      '2026-10-13T10:00:00.000+02:00 announce: SRE Munich Autumn 2026',
      '2026-10-26T10:00:00.000+01:00 reminder: SRE Munich Autumn 2026',
      '2026-10-26T18:00:00.000+01:00 /announce #1 by slack:anna: "Tomorrow we also stream the talks"',
      '2026-10-27T17:30:00.000+01:00 doors-open: SRE Munich Autumn 2026',
    ]);
    expect(planned.filter((p) => p.label.startsWith('reminder')).map((p) => p.channel)).toEqual(ANNOUNCE_CHANNELS);
    // A preview must not count as the scheduler having seen the meetup.
    expect(await db.row(sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM bot_state WHERE key LIKE 'schedule.first-seen:%'`)).toEqual({ n: 0 });
  });

  it('pause and resume are shared through the database and say who paused', async () => {
    const { store, clock } = makeStore();
    expect(await store.paused()).toBeUndefined();
    await store.pause(anna);
    clock.advance({ hours: 1 });
    await store.pause({ ...anna, name: 'ingo' });
    expect(await store.paused()).toMatchObject({ by: 'slack:anna' });
    expect((await store.paused())?.at.toISO()).toBe('2026-10-20T12:00:00.000+02:00');
    expect(await store.resume(anna)).toBe(true);
    expect(await store.resume(anna)).toBe(false);
    expect(await store.paused()).toBeUndefined();
  });
});

describe('a scheduled post through the scheduler', () => {
  let world: ScheduleWorld;
  afterEach(() => world.close());

  it('goes out exactly as previewed, once per channel, and is then no longer listed', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    await announcedThen(world, scheduler, '2026-10-22T09:00');
    const store = world.store();
    const post = await store.schedule('09:30', { eventId: 'sre-munich-autumn-event-2026' }, anna);
    const [preview] = await store.preview(post.id);
    expect(toPlainText(preview!.message)).toContain('SRE Munich Autumn 2026, ');

    world.clock.set(berlin('2026-10-22T09:29'));
    expect(await scheduler.tick()).toMatchObject({ sent: 0 });
    world.clock.advance({ minutes: 1 });
    expect(await scheduler.tick()).toMatchObject({ sent: 3 });
    const posted = world.messages('C0GENERAL')[1]!;
    expect(posted.metadata?.event_payload.delivery_key).toBe(`post:${post.id}:sre-munich-autumn-event-2026:slack:C0GENERAL`);
    expect({ text: posted.text, blocks: posted.blocks }).toEqual(renderMessage(preview!.message));
    expect(await store.list()).toEqual([]);
    expect(await argumentError(() => store.cancel(post.id, anna))).toBe(`#${post.id} has already been posted.`);
  });

  it('an organizer’s post about a meetup removed from the data meanwhile is skipped and reported', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    await announcedThen(world, scheduler, '2026-10-22T09:00');
    await world.store().schedule('09:30', { eventId: 'sre-munich-autumn-event-2026' }, anna);
    world.events = [];
    world.clock.set(berlin('2026-10-22T09:30'));
    expect(await scheduler.tick()).toMatchObject({ sent: 0, skipped: 3 });
    expect(world.reports()).toEqual([expect.stringContaining('/announce #1 by slack:anna about sre-munich-autumn-event-2026 → slack C0ANNOUNCE')]);
    expect(world.reports()[0]).toContain('the meetup "sre-munich-autumn-event-2026" is no longer in the data');
  });
});
