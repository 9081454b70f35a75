import { Catalogue } from '../../src/catalogue/catalogue';
import type { ChatPoster } from '../../src/chat/adapter';
import type { MessageModel } from '../../src/chat/message';
import { presentAgenda } from '../../src/chat/present/event';
import { renderSubscribePage } from '../../src/feeds/page';
import { createLogger } from '../../src/log';
import { countsOf, countsText } from '../../src/rsvp/present';
import { RsvpRuntime } from '../../src/rsvp/runtime';
import { Claims } from '../../src/schedule/claims';
import { Lease, PLANNER_LEASE } from '../../src/schedule/lease';
import { Outbox } from '../../src/schedule/outbox';
import { makeSettings } from '../helpers/events';
import { TEST_FEEDS } from '../helpers/services';
import { EVENT_ID, rsvpWorld } from './world';

const member = (n: number) => ({ platform: 'slack' as const, id: `U${n}`, name: `m${n}`, isOrganizer: false });

describe('RSVP counts where members look', () => {
  it('a rush of answers is one edit of the announcement, after the debounce window', async () => {
    const world = rsvpWorld();
    const event = { ...world.events[0]!, rsvp: { capacity: 3, realName: false } };
    world.events[0] = event;
    const outbox = new Outbox(world.db);
    const announcement = presentAgenda(event, makeSettings(), TEST_FEEDS);
    // The announcement as the scheduler leaves it once sent: planned under the lease, claimed, attempted and marked.
    const lease = new Lease(world.db, PLANNER_LEASE, 'test-holder');
    const generation = (await lease.acquire())!;
    await outbox.insert([{ deliveryKey: 'rule:announce:x:slack:C1', platform: 'slack', channel: 'C1', kind: 'rule', eventId: EVENT_ID, dueAt: world.clock.now(), payload: { label: 'announce', message: announcement }, contentHash: 'h', status: 'pending' }], world.clock.now(), generation);
    const { claimed } = await new Claims(world.db, 'test-holder', { perChannelMs: {}, perSecond: {} }, 30_000).claim(world.clock.now(), { kind: 'posts', except: [] }, 1);
    const fence = claimed[0]!.fence;
    expect(await outbox.attempt('rule:announce:x:slack:C1', fence, world.clock.now())).toBe(true);
    expect(await outbox.markSent('rule:announce:x:slack:C1', '1720000000.000100', fence, world.clock.now())).toBe(true);
    const edits: MessageModel[] = [];
    const poster: ChatPoster = { platform: 'slack', post: async () => ({ messageId: 'x' }), findPosted: async () => undefined, edit: async (_c, _id, m) => void edits.push(m) };
    const changed: string[] = [];
    const runtime = new RsvpRuntime({ db: world.db, service: world.service, posters: [poster], catalogue: () => new Catalogue(world.events), clock: world.clock, log: createLogger('silent'), debounceMs: 2_000, onCountsChanged: (id) => changed.push(id) });

    for (let n = 1; n <= 5; n++) {
      await world.service.respond(event, member(n), 'going');
      runtime.changed(EVENT_ID);
    }
    // The window (2 s) must hold all five answers, each a transaction (a round trip per query on PostgreSQL).
    for (let i = 0; i < 1000 && edits.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await runtime.stop();
    expect(edits.map(countsOf)).toEqual(['3 of 3 going, 2 on the waitlist']);
    expect(countsOf((await outbox.get('rule:announce:x:slack:C1'))!.payload.message)).toBe('3 of 3 going, 2 on the waitlist');
    expect(changed).toEqual([EVENT_ID]);
    // Nothing changed since: the minute sweep leaves the post alone.
    await runtime.sweep();
    expect(edits).toHaveLength(1);
    await world.close();
  });

  it('the subscribe page shows the counts under the meetup, escaped', async () => {
    const world = rsvpWorld();
    const html = renderSubscribePage({
      catalogue: new Catalogue(world.events),
      settings: makeSettings(),
      publicUrl: 'http://127.0.0.1:8080',
      now: world.clock.now(),
      rsvpCounts: (e) => (e.id === EVENT_ID ? `${countsText({ going: 23, waitlist: 4, declined: 1 })} <b>` : undefined),
    }).html;
    expect(html).toContain(`<div class="meta" data-rsvp="${EVENT_ID}">RSVPs in chat: 23 going, 4 on the waitlist &#60;b&#62;</div>`);
    await world.close();
  });
});
