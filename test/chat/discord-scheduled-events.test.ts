import { lazyMemoryDb } from '../helpers/db';
import { REST } from 'discord.js';
import { DateTime } from 'luxon';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import { ScheduledEventSync } from '../../src/chat/discord/scheduled-events';
import { describe as describeEvent } from '../../src/chat/discord/scheduled-event-shape';
import type { Db } from '../../src/store/db';
import { FakeDiscord } from '../fakes/discord';
import { makeEvent, makeSettings, ZONE } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { capturingLogger } from './discord-harness';
import { url } from '../helpers/url';

const ZWJ = '\u200d';
const EVENTS_ROUTE = /^\/guilds\/\d+\/scheduled-events/;

/** Meetups relative to the real clock: Discord (and the fake) refuse events that start in the past. */
const now = DateTime.now().setZone(ZONE);
const inDays = (days: number, hour = 18, minute = 30) => now.plus({ days }).set({ hour, minute, second: 0, millisecond: 0 });

function meetup(id: string, days: number, overrides: Partial<MeetupEvent> = {}): MeetupEvent {
  const start = inDays(days);
  return makeEvent({ id, title: `Meetup ${id}`, start, end: start.plus({ hours: 2, minutes: 30 }), url: url(`https://muc.sre.xyz/posts/${id}/`), address: 'Theresienstraße 6, 80333 München', ...overrides });
}

describe('ScheduledEventSync against the fake Discord', () => {
  let discord: FakeDiscord;
  let rest: REST;
  let db: Db;
  const settings = makeSettings();

  const newSync = (database: Db = db) => new ScheduledEventSync({ db: database, rest, guildId: discord.guildId, log: capturingLogger().log, feeds: TEST_FEEDS });
  const writes = () => discord.requests.filter((r) => EVENTS_ROUTE.test(r.path) && r.method !== 'GET');

  beforeEach(async () => {
    discord = await FakeDiscord.start();
    rest = new REST({ version: '10', api: discord.apiUrl, retries: 0, offset: 0 }).setToken(discord.token);
    db = lazyMemoryDb();
  });
  afterEach(async () => {
    await db.close();
    await discord.close();
  });

  it('creates an external event per upcoming meetup: venue and address, times, agenda link; skips past and cancelled ones', async () => {
    const summer = meetup('summer', 10);
    const online = meetup('online', 20, { venue: undefined, address: undefined, online: 'https://meet.example/sremuc', url: undefined, talks: [] });
    const past = meetup('past', -30);
    const cancelled = meetup('cancelled', 15, { status: 'cancelled' });
    const report = await newSync().sync(new Catalogue([summer, online, past, cancelled]), settings, now);

    expect(report).toEqual({ created: 2, updated: 0, cancelled: 0, failed: 0 });
    const events = discord.scheduledEvents();
    expect(events).toHaveLength(2);
    const created = events.find((e) => e.name === 'Meetup summer')!;
    expect(created).toMatchObject({
      entity_type: 3,
      privacy_level: 2,
      status: 1,
      entity_metadata: { location: 'Celonis, Theresienstraße 6, 80333 München' },
    });
    expect(Date.parse(created.scheduled_start_time)).toBe(summer.start.toMillis());
    expect(Date.parse(created.scheduled_end_time!)).toBe(summer.end.toMillis());
    expect(created.description).toBe(
      [summer.summary, '• Upgrading thousands of stateful applications across a global Kubernetes infrastructure — Michael Lex (ClickHouse)\n• Lessons learned from 15 years DevOps — Paul Stack (System Initiative)', 'Full agenda: https://muc.sre.xyz/posts/summer/'].join('\n\n'),
    );
    const remote = events.find((e) => e.name === 'Meetup online')!;
    expect(remote.entity_metadata).toEqual({ location: 'https://meet.example/sremuc' });
    expect(remote.description?.endsWith(`Full agenda: ${TEST_FEEDS.event('online')}`)).toBe(true);
  });

  it('is idempotent: a second sync, and a sync after a restart, change nothing', async () => {
    const catalogue = new Catalogue([meetup('summer', 10), meetup('autumn', 40)]);
    await newSync().sync(catalogue, settings, now);
    const writesAfterFirst = writes().length;
    expect(await newSync().sync(catalogue, settings, now)).toEqual({ created: 0, updated: 0, cancelled: 0, failed: 0 });
    expect(writes()).toHaveLength(writesAfterFirst);
    expect(discord.scheduledEvents()).toHaveLength(2);
  });

  it('updates the Discord event when time, title, description or location change', async () => {
    const sync = newSync();
    await sync.sync(new Catalogue([meetup('summer', 10)]), settings, now);
    const moved = meetup('summer', 11, { title: 'Summer meetup (moved)', venue: 'Google', address: 'Erika-Mann-Straße 33' });
    expect(await sync.sync(new Catalogue([moved]), settings, now)).toEqual({ created: 0, updated: 1, cancelled: 0, failed: 0 });
    const [event] = discord.scheduledEvents();
    expect(event).toMatchObject({ name: 'Summer meetup (moved)', entity_metadata: { location: 'Google, Erika-Mann-Straße 33' } });
    expect(Date.parse(event!.scheduled_start_time)).toBe(moved.start.toMillis());
    expect(discord.requestsTo('PATCH', EVENTS_ROUTE)).toHaveLength(1);
  });

  it('cancels the Discord event when the meetup is cancelled, deletes it when the meetup is removed', async () => {
    const sync = newSync();
    const summer = meetup('summer', 10);
    const autumn = meetup('autumn', 40);
    await sync.sync(new Catalogue([summer, autumn]), settings, now);
    const autumnId = discord.scheduledEvents().find((e) => e.name === 'Meetup autumn')!.id;

    const report = await sync.sync(new Catalogue([{ ...summer, status: 'cancelled' }]), settings, now);
    expect(report).toEqual({ created: 0, updated: 0, cancelled: 2, failed: 0 });
    expect(discord.requestsTo('PATCH', EVENTS_ROUTE).map((r) => r.body)).toEqual([{ status: 4 }]);
    expect(discord.requestsTo('DELETE', EVENTS_ROUTE).map((r) => r.path)).toEqual([`/guilds/${discord.guildId}/scheduled-events/${autumnId}`]);
    expect(discord.scheduledEvents()).toEqual([]);
    // Nothing left to do afterwards, and nothing comes back.
    expect(await sync.sync(new Catalogue([{ ...summer, status: 'cancelled' }]), settings, now)).toEqual({ created: 0, updated: 0, cancelled: 0, failed: 0 });
  });

  it('creates the event again when someone deleted it in Discord', async () => {
    const sync = newSync();
    const catalogue = new Catalogue([meetup('summer', 10)]);
    await sync.sync(catalogue, settings, now);
    discord.deleteScheduledEvent(discord.scheduledEvents()[0]!.id);
    expect(await sync.sync(catalogue, settings, now)).toEqual({ created: 1, updated: 0, cancelled: 0, failed: 0 });
    expect(discord.scheduledEvents()).toHaveLength(1);
  });

  it('adopts an event created just before a crash (no row recorded) instead of creating a duplicate', async () => {
    const catalogue = new Catalogue([meetup('summer', 10)]);
    await newSync().sync(catalogue, settings, now);
    const lostDb = lazyMemoryDb();
    try {
      expect(await newSync(lostDb).sync(catalogue, settings, now)).toEqual({ created: 0, updated: 0, cancelled: 0, failed: 0 });
      expect(discord.scheduledEvents()).toHaveLength(1);
      expect(discord.requestsTo('POST', EVENTS_ROUTE)).toHaveLength(1);
      // Adopted and up to date: a later change updates that same event.
      expect(await newSync(lostDb).sync(new Catalogue([meetup('summer', 10, { title: 'Renamed' })]), settings, now)).toMatchObject({ updated: 1, created: 0 });
      expect(discord.scheduledEvents().map((e) => e.name)).toEqual(['Renamed']);
    } finally {
      await lostDb.close();
    }
  });

  it('one event Discord refuses does not stop the others; it is tried again next time', async () => {
    discord.failNext({ method: 'POST', path: EVENTS_ROUTE }, { status: 400, code: 50035, message: 'Invalid Form Body' });
    const sync = newSync();
    const catalogue = new Catalogue([meetup('summer', 10), meetup('autumn', 40)]);
    expect(await sync.sync(catalogue, settings, now)).toEqual({ created: 1, updated: 0, cancelled: 0, failed: 1 });
    expect(await sync.sync(catalogue, settings, now)).toEqual({ created: 1, updated: 0, cancelled: 0, failed: 0 });
    expect(discord.scheduledEvents()).toHaveLength(2);
  });

  it('overlapping syncs (start-up and a reload) run one after the other and create each event once', async () => {
    const sync = newSync();
    const catalogue = new Catalogue([meetup('summer', 10), meetup('autumn', 40)]);
    const [first, second] = await Promise.all([sync.sync(catalogue, settings, now), sync.sync(catalogue, settings, now)]);
    expect(first.created + second.created).toBe(2);
    expect(discord.scheduledEvents()).toHaveLength(2);
  });

  it('keeps names and descriptions within Discord’s limits, the agenda link always last, mentions inert', () => {
    const event = meetup('long', 10, { title: `@everyone ${'Very long title '.repeat(10)}`, summary: 'Summary sentence. '.repeat(100) });
    const text = describeEvent(event, 'https://muc.sre.xyz/posts/long/');
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.endsWith('…\n\nFull agenda: https://muc.sre.xyz/posts/long/')).toBe(true);
    expect(describeEvent(meetup('x', 1, { summary: 'Hi @here', talks: [] }), 'https://l/')).toBe(`Hi @${ZWJ}here\n\nFull agenda: https://l/`);
  });

  it('a long title is cut to Discord’s 100 characters at a word, mentions inert', async () => {
    await newSync().sync(new Catalogue([meetup('long', 10, { title: `@everyone ${'Very long title '.repeat(10)}` })]), settings, now);
    const [event] = discord.scheduledEvents();
    expect(event?.name.length).toBeLessThanOrEqual(100);
    expect(event?.name.endsWith('Very…')).toBe(true);
    expect(event?.name.startsWith(`@${ZWJ}everyone`)).toBe(true);
  });
});
