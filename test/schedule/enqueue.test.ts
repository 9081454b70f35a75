import { message } from '../../src/chat/message';
import { Outbox } from '../../src/schedule/outbox';
import { ORGANIZERS_CHANNEL, startWorld, type ScheduleWorld } from './harness';

describe('Outbox.enqueue: deliver this message to this destination exactly once by this key, worth making until T', () => {
  let world: ScheduleWorld;

  afterEach(async () => {
    await world.close();
  });

  it('is delivered by the next tick, once, however often it is enqueued', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const scheduler = world.scheduler();
    const outbox = new Outbox(world.db);
    const delivery = {
      key: 'rsvp-report:sre-munich-autumn-event-2026',
      to: { platform: 'slack' as const, channel: ORGANIZERS_CHANNEL },
      message: message({ title: 'RSVPs', intro: ['12 members are coming.'] }),
      label: 'RSVP report',
      worthUntil: world.clock.now().plus({ days: 1 }),
    };
    expect(await outbox.enqueue([delivery], world.clock.now())).toEqual([`${delivery.key}:slack:${ORGANIZERS_CHANNEL}`]);
    await scheduler.tick();
    expect(await outbox.enqueue([delivery], world.clock.now())).toEqual([]);
    world.clock.advance({ minutes: 1 });
    await scheduler.tick();
    expect(world.reports().filter((text) => text.includes('RSVPs'))).toHaveLength(1);
    expect(await outbox.get(`${delivery.key}:slack:${ORGANIZERS_CHANNEL}`)).toMatchObject({ status: 'sent', kind: 'message' });
  });

  it('past its worth-until time it is not posted late', async () => {
    world = await startWorld({ now: '2026-10-20T12:00' });
    const outbox = new Outbox(world.db);
    const to = { platform: 'slack' as const, channel: ORGANIZERS_CHANNEL };
    await outbox.enqueue([{ key: 'stale', to, message: message({ intro: ['stale news'] }), label: 'stale', worthUntil: world.clock.now().plus({ minutes: 5 }) }], world.clock.now());
    world.clock.advance({ minutes: 10 });
    await world.scheduler().tick();
    expect(world.reports().some((text) => text.includes('stale news'))).toBe(false);
    expect((await outbox.get(`stale:slack:${ORGANIZERS_CHANNEL}`))?.status).not.toBe('sent');
  });
});
