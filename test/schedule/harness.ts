/**
 * A scheduler world for the tests in test/schedule: the real SlackChat (Bolt web client) against FakeSlack, a
 * ManualClock, the real rules from data/announcements.yml, a catalogue the test can change between ticks, and
 * the organizers' channel on the fake (C0ORGS), so reports arrive the way they do in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import type { CommunitySettings } from '../../src/catalogue/settings';
import type { ChatPoster, Destination } from '../../src/chat/adapter';
import { ManualClock } from '../helpers/clock';
import { createLogger } from '../../src/log';
import type { ScheduledCommunity } from '../../src/schedule/community-pass';
import { Scheduler, type SchedulerOptions, type TickReport } from '../../src/schedule/scheduler';
import { AnnouncementStore } from '../../src/schedule/announcements';
import type { AnnouncementRules } from '../../src/schedule/rules';
import { loadAnnouncementRules } from '../../src/schedule/rules-file';
import type { Db } from '../../src/store/db';
import { sharedDb, type SharedDb } from '../helpers/db';
import { contractDispatcher, startSlackBot, type SlackBot } from '../chat/slack-harness';
import { ROOT } from '../helpers/built';
import { berlin, makeEvent, makeSettings } from '../helpers/events';
import { TEST_FEEDS, makeServices } from '../helpers/services';
import type { StoredMessage } from '../fakes/slack';
import { url } from '../helpers/url';

export const ANNOUNCE_CHANNELS = ['C0ANNOUNCE', 'C0GENERAL', 'C0MEETUPS'];
export const ORGANIZERS_CHANNEL = 'C0ORGS';
export const SLACK_DESTINATIONS: Destination[] = ANNOUNCE_CHANNELS.map((channel) => ({ platform: 'slack', channel }));

export const RULES: AnnouncementRules = (() => {
  const loaded = loadAnnouncementRules(path.join(ROOT, 'data', 'announcements.yml'));
  if (!loaded.rules) throw new Error(`data/announcements.yml: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.rules;
})();

/** Tuesday 27 October 2026, two days after Berlin leaves summer time: its reminders straddle the switch. */
export function autumnMeetup(overrides: Partial<MeetupEvent> = {}): MeetupEvent {
  const start = berlin('2026-10-27T18:30');
  return makeEvent({
    id: 'sre-munich-autumn-event-2026',
    title: 'SRE Munich Autumn 2026',
    start,
    end: start.set({ hour: 21, minute: 0 }),
    url: url('https://muc.sre.xyz/posts/sre-munich-autumn-event-2026/'),
    source: { file: 'events/sre-munich-autumn-event-2026.md', publishedAt: berlin('2026-10-01T09:00') },
    ...overrides,
  });
}

/** The one community of a test scheduler: its data, announce channels and organizers, the real rules. */
export function oneCommunity(source: ScheduledCommunity['source'], destinations: Destination[], organizers: Destination[], rules: AnnouncementRules = RULES): () => ScheduledCommunity[] {
  const community: ScheduledCommunity = { id: '', source, rules, destinations, organizers, feeds: TEST_FEEDS };
  return () => [community];
}

/** What every test scheduler shares: a silent log, the manual clock as monotonic time, no pacing. */
export function testSchedulerDefaults(clock: ManualClock): Pick<SchedulerOptions, 'log' | 'graceMinutes' | 'onChange' | 'rateLimits' | 'mono'> {
  return {
    // The manual clock drives the monotonic time too: advancing it is time passing, not a clock step.
    mono: () => clock.now().toMillis(),
    log: createLogger(process.env.SCHEDULE_TEST_LOG ?? 'silent'),
    graceMinutes: 120,
    onChange: 'edit',
    // Pacing is real time; most tests are about what is sent, not how fast (pacing has its own test).
    rateLimits: { perChannelMs: {}, perSecond: {} },
  };
}

export interface ScheduleWorld {
  bot: SlackBot;
  clock: ManualClock;
  db: Db;
  /** The database file, for a second connection (two processes, or a restart after a crash). */
  shared: SharedDb;
  events: MeetupEvent[];
  settings: CommunitySettings;
  /** A scheduler on its own database connection, as a separate process would have. */
  scheduler(overrides?: Partial<SchedulerOptions> & { destinations?: Destination[] }): Scheduler;
  store(): AnnouncementStore;
  /** Messages in one channel (oldest first). */
  messages(channel: string): StoredMessage[];
  /** Delivery keys on the messages of a channel, in posting order. */
  keys(channel: string): string[];
  /** Reports the organizers got. */
  reports(): string[];
  close(): Promise<void>;
}

/** Ticks every 30 s until nothing is left to look up (an unknown outcome settles after a minute); sums the reports. */
export async function settle(clock: ManualClock, scheduler: Scheduler): Promise<TickReport> {
  let total: TickReport | undefined;
  for (let i = 0; i < 6; i++) {
    const r = await scheduler.tick();
    if (!total) total = r;
    else for (const k of ['recovered', 'sent', 'failed', 'unknown'] as const) total[k] += r[k];
    clock.advance({ seconds: 30 });
  }
  return total!;
}

export async function startWorld(options: { now: string; events?: MeetupEvent[]; settings?: Partial<CommunitySettings> }): Promise<ScheduleWorld> {
  const bot = await startSlackBot({
    commands: new Map(),
    dispatcher: contractDispatcher(new Map(), makeServices()),
    config: { announceChannels: ANNOUNCE_CHANNELS, organizersChannel: ORGANIZERS_CHANNEL },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-schedule-'));
  const shared = sharedDb(dir);
  const db = await shared.open();
  const connections: Db[] = [db];
  const clock = new ManualClock(berlin(options.now));
  const world: ScheduleWorld = {
    bot,
    clock,
    db,
    shared,
    events: options.events ?? [autumnMeetup()],
    settings: makeSettings(options.settings),
    scheduler({ destinations = SLACK_DESTINATIONS, ...overrides } = {}) {
      const connection = shared.lazy();
      connections.push(connection);
      return new Scheduler({
        db: connection,
        clock,
        posters: [bot.chat],
        communities: oneCommunity(() => ({ catalogue: new Catalogue(world.events), settings: world.settings }), destinations, [{ platform: 'slack', channel: ORGANIZERS_CHANNEL }]),
        ...testSchedulerDefaults(clock),
        ...overrides,
      });
    },
    store() {
      return new AnnouncementStore({
        db,
        clock,
        community: { id: '', source: () => ({ catalogue: new Catalogue(world.events), settings: world.settings }), rules: RULES, destinations: SLACK_DESTINATIONS, feeds: TEST_FEEDS },
      });
    },
    messages: (channel) => bot.slack.messages(channel),
    keys: (channel) => bot.slack.messages(channel).map((m) => String(m.metadata?.event_payload.delivery_key)),
    reports: () => bot.slack.messages(ORGANIZERS_CHANNEL).map((m) => m.text ?? ''),
    async close() {
      await bot.stop();
      for (const c of connections) await c.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * The usual starting point: the meetup was seen (and announced, being inside its 14 days) on Tuesday 20
 * October; the clock then stands at `then`.
 */
export async function announcedThen(world: ScheduleWorld, scheduler: Scheduler, then: string): Promise<void> {
  world.clock.set(berlin('2026-10-20T12:00'));
  const report = await scheduler.tick();
  if (report.sent !== ANNOUNCE_CHANNELS.length) throw new Error(`expected the announcement in every channel, got ${JSON.stringify(report)}`);
  world.clock.set(berlin(then));
}

/** Ticks once a minute until `until` (inclusive), like node-cron would. Returns when each post was made. */
export async function runMinutes(world: ScheduleWorld, scheduler: Scheduler, until: string, everyMinutes = 1): Promise<{ key: string; channel: string; at: string }[]> {
  const end = berlin(until);
  const posted: { key: string; channel: string; at: string }[] = [];
  const seen = new Map(ANNOUNCE_CHANNELS.map((c) => [c, world.messages(c).length]));
  while (world.clock.now() <= end) {
    const report = await scheduler.tick();
    if (report.sent > 0) {
      for (const channel of ANNOUNCE_CHANNELS) {
        const messages = world.messages(channel);
        for (const m of messages.slice(seen.get(channel))) posted.push({ key: String(m.metadata?.event_payload.delivery_key), channel, at: world.clock.now().toISO()! });
        seen.set(channel, messages.length);
      }
    }
    world.clock.advance({ minutes: everyMinutes });
  }
  return posted;
}

/**
 * Wraps a poster so the "process" dies at its n-th post: before the request leaves ('before-send') or after the
 * platform accepted it but before the scheduler hears back ('after-send'). From then on every call hangs, as
 * nothing runs in a dead process; `crashed` resolves at that moment.
 */
export function crashingPoster(inner: ChatPoster, crashAtPost: number, mode: 'before-send' | 'after-send'): { poster: ChatPoster; crashed: Promise<void> } {
  let posts = 0;
  let dead = false;
  let signal: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => (signal = resolve));
  const hang = () => new Promise<never>(() => undefined);
  const poster: ChatPoster = {
    platform: inner.platform,
    async post(channel, message, options) {
      if (dead) return hang();
      if (++posts === crashAtPost) {
        if (mode === 'after-send') await inner.post(channel, message, options);
        dead = true;
        signal();
        return hang();
      }
      return inner.post(channel, message, options);
    },
    edit: (channel, id, message) => (dead ? hang() : inner.edit(channel, id, message)),
    findPosted: (channel, key) => (dead ? hang() : inner.findPosted(channel, key)),
  };
  return { poster, crashed };
}
