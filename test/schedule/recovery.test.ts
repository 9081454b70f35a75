import { sql } from 'kysely';
import type { Destination } from '../../src/chat/adapter';
import { Lease } from '../../src/schedule/lease';
import { Outbox } from '../../src/schedule/outbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backend, sharedDb } from '../helpers/db';
import type { TickReport } from '../../src/schedule/scheduler';
import { startDiscordBot, type DiscordBot } from '../chat/discord-harness';
import { berlin } from '../helpers/events';
import { makeServices } from '../helpers/services';
import { ANNOUNCE_CHANNELS, announcedThen, crashingPoster, runMinutes, settle, startWorld, type ScheduleWorld } from './harness';

const EVENT = 'sre-munich-autumn-event-2026';
const key = (rule: string, platform: string, channel: string) => `rule:${rule}:${EVENT}:${platform}:${channel}`;
const LEASE_TTL = { seconds: 16 };
const sum = (a: TickReport, b: TickReport) => ({ recovered: a.recovered + b.recovered, sent: a.sent + b.sent, failed: a.failed + b.failed });

/** What the restarted process still has to send: posts after the crash, and the crashed one if it never left. */
const remaining = (mode: 'before-send' | 'after-send', step: number) => 3 - (step - 1) - (mode === 'after-send' ? 1 : 0);
const CRASHES: ['before-send' | 'after-send', number][] = [
  ['before-send', 1],
  ['after-send', 1],
  ['before-send', 2],
  ['after-send', 2],
  ['before-send', 3],
  ['after-send', 3],
];

describe('crash in the middle of a fan-out, then restart: nothing lost, nothing posted twice', () => {
  let world: ScheduleWorld;

  afterEach(async () => {
    await world.close();
  });

  it.each(CRASHES)('Slack: the process dies %s of post %i of 3', async (mode, step) => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    // The announcement (3 posts) goes through; the process dies during the reminder's fan-out.
    const { poster, crashed } = crashingPoster(world.bot.chat, 3 + step, mode);
    const dying = world.scheduler({ concurrency: 1, posters: [poster] });
    await announcedThen(world, dying, '2026-10-26T10:00');
    void dying.tick();
    await crashed;
    const outbox = new Outbox(world.db);
    expect((await outbox.get(key('reminder', 'slack', ANNOUNCE_CHANNELS[step - 1]!)))?.status).toBe('sending');

    const restarted = world.scheduler({ concurrency: 1 });
    // The dead holder's heartbeat was just seen: the restart does not plan yet, but delivers the rows nobody holds
    // (the dead one's claimed row waits for its claim to expire).
    const first = await restarted.tick();
    expect(first.ran).toBe(false);
    world.clock.advance(LEASE_TTL);
    const report = sum(first, await settle(world.clock, restarted));
    expect(report).toMatchObject({ recovered: mode === 'after-send' ? 1 : 0, sent: remaining(mode, step), failed: 0 });

    for (const channel of ANNOUNCE_CHANNELS) {
      expect(world.keys(channel)).toEqual([key('announce', 'slack', channel), key('reminder', 'slack', channel)]);
      expect(await outbox.get(key('reminder', 'slack', channel))).toMatchObject({ status: 'sent', messageId: world.messages(channel)[1]!.ts });
    }
    // Every channel whose reminder may have been posted was looked up before anything was sent there again.
    const looked = new Set(world.bot.slack.callsTo('conversations.history').map((c) => c.params.channel));
    for (const channel of ANNOUNCE_CHANNELS.slice(step - 1)) expect(looked.has(channel)).toBe(true);
  });

  it('Slack: dies with the whole fan-out in flight (8 at once); the restart completes it exactly once', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const { poster, crashed } = crashingPoster(world.bot.chat, 5, 'after-send');
    const dying = world.scheduler({ posters: [poster] });
    await announcedThen(world, dying, '2026-10-26T10:00');
    void dying.tick();
    await crashed;

    const restarted = world.scheduler();
    await restarted.tick();
    world.clock.advance(LEASE_TTL);
    await settle(world.clock, restarted);
    for (const channel of ANNOUNCE_CHANNELS) expect(world.keys(channel)).toEqual([key('announce', 'slack', channel), key('reminder', 'slack', channel)]);
    await runMinutes(world, restarted, '2026-10-26T10:10');
    for (const channel of ANNOUNCE_CHANNELS) expect(world.keys(channel)).toHaveLength(2);
  });

  describe('Discord (message nonce and footer marker)', () => {
    const DISCORD_CHANNELS = ['1300000000000000011', '1300000000000000012', '1300000000000000013'];
    const destinations: Destination[] = DISCORD_CHANNELS.map((channel) => ({ platform: 'discord', channel }));
    let discordBot: DiscordBot;

    beforeEach(async () => {
      discordBot = await startDiscordBot({ commands: new Map(), services: makeServices(), fake: { channels: [...DISCORD_CHANNELS, '1300000000000000002'] } });
    });

    afterEach(async () => {
      await discordBot.stop();
    });

    const creates = (channel: string) => discordBot.discord.requestsTo('POST', new RegExp(`^/channels/${channel}/messages$`)).filter((r) => r.status === 200);

    it.each(CRASHES)('the process dies %s of post %i of 3', async (mode, step) => {
      world = await startWorld({ now: '2026-10-20T12:00' });
      const { poster, crashed } = crashingPoster(discordBot.chat, 3 + step, mode);
      const dying = world.scheduler({ concurrency: 1, posters: [poster], destinations });
      await announcedThen(world, dying, '2026-10-26T10:00');
      void dying.tick();
      await crashed;

      const restarted = world.scheduler({ concurrency: 1, posters: [discordBot.chat], destinations });
      const first = await restarted.tick();
      world.clock.advance(LEASE_TTL);
      const report = sum(first, await settle(world.clock, restarted));
      expect(report).toMatchObject({ recovered: mode === 'after-send' ? 1 : 0, sent: remaining(mode, step), failed: 0 });

      const outbox = new Outbox(world.db);
      for (const channel of DISCORD_CHANNELS) {
        const messages = discordBot.discord.messages(channel);
        expect(messages).toHaveLength(2);
        // One create request per post: recovery found the interrupted one instead of relying on Discord's nonce check.
        expect(creates(channel)).toHaveLength(2);
        expect(await outbox.get(key('reminder', 'discord', channel))).toMatchObject({ status: 'sent', messageId: messages[1]!.id });
      }
    });
  });
});

describe('two bot processes on one database file', () => {
  let world: ScheduleWorld;

  afterEach(async () => {
    await world.close();
  });

  it('only the lease holder posts; when it stops, the other takes over without repeating anything', async () => {
    world = await startWorld({ now: '2026-10-20T11:58' });
    const a = world.scheduler({ holderId: 'process-a' });
    const b = world.scheduler({ holderId: 'process-b' });
    const tickBoth = async () => {
      // On SQLite both connections share this one thread, and a writer waiting for the lock blocks it, so the two
      // tick one after the other; on PostgreSQL they tick at once.
      const [ra, rb] = backend === 'postgres' ? await Promise.all([a.tick(), b.tick()]) : [await a.tick(), await b.tick()];
      expect([ra.ran, rb.ran].filter(Boolean)).toHaveLength(1);
      world.clock.advance({ minutes: 1 });
      return [ra, rb];
    };
    for (let i = 0; i < 5; i++) await tickBoth();
    world.clock.set(berlin('2026-10-26T09:58'));
    for (let i = 0; i < 5; i++) await tickBoth();

    await a.stop(); // a clean shutdown hands the lease over at once
    world.clock.set(berlin('2026-10-27T17:29'));
    expect(await b.tick()).toMatchObject({ ran: true, sent: 0 });
    world.clock.advance({ minutes: 1 });
    expect(await b.tick()).toMatchObject({ ran: true, sent: 3 });

    for (const channel of ANNOUNCE_CHANNELS) {
      expect(world.keys(channel)).toEqual([key('announce', 'slack', channel), key('reminder', 'slack', channel), key('doors-open', 'slack', channel)]);
    }
  });
});

describe('Lease', () => {
  it('has one holder at a time; a contender takes over after the heartbeat stood still for the TTL on its own clock', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-lease-'));
    const shared = sharedDb(dir);
    const first = await shared.open();
    const second = await shared.open();
    let t = 0;
    const mono = () => t;
    const timing = { ttlMs: 15_000, beatMs: 5_000 };
    try {
      const a = new Lease(first, 'scheduler', 'a', mono, timing);
      const b = new Lease(second, 'scheduler', 'b', mono, timing);
      expect(await a.acquire()).toBe(1);
      expect(await b.acquire()).toBeUndefined(); // b sees a's heartbeat for the first time
      t += 10_000;
      expect(await a.acquire()).toBe(1); // beats
      t += 10_000;
      expect(await b.acquire()).toBeUndefined(); // a new beat since b looked: wait again
      expect((await second.row(sql<{ holder: string }>`SELECT holder FROM leases WHERE name = 'scheduler'`))?.holder).toBe('a');
      t += 15_000; // a is stopped: no beat for the TTL
      expect(await b.acquire()).toBe(2); // taken over, with a new fencing generation
      expect(await a.valid()).toBe(false); // a wakes up: its overdue beat finds generation 2
      expect(await a.acquire()).toBeUndefined();
      await b.release();
      expect(await a.acquire()).toBe(3); // released: taken at once
    } finally {
      await first.close();
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
