import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ManualClock } from '../helpers/clock';
import type { Caller } from '../../src/commands/definition';
import { createLogger } from '../../src/log';
import type { MessageModel } from '../../src/chat/message';
import { Outbox } from '../../src/schedule/outbox';
import { RsvpService } from '../../src/rsvp/service';
import { RsvpStore } from '../../src/rsvp/store';
import type { Db } from '../../src/store/db';
import { sql } from 'kysely';
import { lazyMemoryDb, sharedDb } from '../helpers/db';
import { berlin, makeEvent } from '../helpers/events';
import { built } from '../helpers/built';

const member = (n: number, platform: Caller['platform'] = 'slack'): Caller => ({ platform, id: `U${n}`, name: `member ${n}`, isOrganizer: false });
const meetup = (capacity?: number, rsvp: Record<string, unknown> = {}) =>
  makeEvent({ id: 'sre-munich-2026-12', title: 'SRE Munich December 2026', start: berlin('2026-12-10T18:30'), end: berlin('2026-12-10T21:00'), rsvp: { capacity, realName: false, ...rsvp } });

function world(capacity?: number) {
  const db = lazyMemoryDb();
  const clock = new ManualClock(berlin('2026-12-01T12:00'));
  const told: MessageModel[] = [];
  const service = new RsvpService({ db, now: () => clock.now(), notifyOrganizers: async (m) => void told.push(m), log: createLogger('silent') });
  return { db, clock, told, service, event: meetup(capacity), dms: async () => (await new Outbox(db).unconfirmed()).filter((r) => r.kind === 'message') };
}

describe('RSVP store and service', () => {
  it('seats members up to capacity, then waitlists them in order, and moves the first up exactly once when a seat frees', async () => {
    const w = world(2);
    expect((await w.service.respond(w.event, member(1), 'going')).status).toBe('going');
    expect((await w.service.respond(w.event, member(2), 'going')).status).toBe('going');
    const third = await w.service.respond(w.event, member(3), 'going');
    const fourth = await w.service.respond(w.event, member(4), 'going');
    expect([third.status, third.position, fourth.status, fourth.position]).toEqual(['waitlist', 1, 'waitlist', 2]);
    // Pressing Going again keeps the place in the line.
    expect((await w.service.respond(w.event, member(3), 'going')).position).toBe(1);

    const cancel = await w.service.respond(w.event, member(1), 'declined');
    expect(cancel.promoted.map((r) => r.userId)).toEqual(['U3']);
    expect(await w.service.counts(w.event.id)).toEqual({ going: 2, waitlist: 1, declined: 1 });
    expect(await w.service.store.position(w.event.id, 'slack', 'U4')).toBe(1);
    const dms = await w.dms();
    expect(dms.map((r) => [r.channel, r.deliveryKey])).toEqual([['dm:U3', expect.stringMatching(/^rsvp-promoted:sre-munich-2026-12:slack:U3:/)]]);
    expect(dms[0]!.payload.message.title).toBe('You have a seat!');

    // Member 1 comes back: the end of the line, behind member 4.
    expect((await w.service.respond(w.event, member(1), 'going')).position).toBe(2);
  });

  it('moves up a member who turned direct messages off without messaging them', async () => {
    const w = world(1);
    await w.service.respond(w.event, member(1), 'going');
    await w.service.respond(w.event, member(2), 'going');
    await w.service.setReminders(member(2), false);
    expect((await w.service.respond(w.event, member(1), 'declined')).promoted.map((r) => r.userId)).toEqual(['U2']);
    expect(await w.dms()).toEqual([]);
  });

  it('tells the organizers once when the last seat is taken, and again only after a seat freed and filled', async () => {
    const w = world(1);
    await w.service.respond(w.event, member(1), 'going');
    await w.service.respond(w.event, member(2), 'going');
    await new Promise((r) => setImmediate(r));
    expect(w.told.map((m) => m.title)).toEqual(['Full: SRE Munich December 2026']);
    await w.service.respond(w.event, member(1), 'declined'); // member 2 moves up: still full, no new note
    await new Promise((r) => setImmediate(r));
    expect(w.told).toHaveLength(1);
  });

  it('closes new RSVPs at the deadline but lets members cancel until the meetup starts', async () => {
    const w = world(10);
    const event = { ...w.event, rsvp: { ...w.event.rsvp!, deadline: berlin('2026-12-08T12:00') } };
    await w.service.respond(event, member(1), 'going');
    w.clock.set(berlin('2026-12-09T09:00'));
    await expect(w.service.respond(event, member(2), 'going')).rejects.toThrow(/Registration for SRE Munich December 2026 closed/);
    expect((await w.service.respond(event, member(1), 'declined')).status).toBe('declined');
    w.clock.set(berlin('2026-12-10T18:31'));
    await expect(w.service.respond(event, member(1), 'going')).rejects.toThrow(/has started/);
  });

  it('remembers a real name per member, asks for it only when missing, and forgets everything on request', async () => {
    const w = world(1);
    const event = { ...w.event, rsvp: { ...w.event.rsvp!, realName: true, question: 'Any dietary needs?' } };
    expect(await w.service.missing(event, member(1))).toEqual({ realName: true, question: true });
    await w.service.respond(event, member(1), 'going', { realName: '  Anna   Muster ', answer: 'vegetarian' });
    await w.service.respond(event, member(2), 'going', { realName: 'Bob Beispiel', answer: '' });
    expect(await w.service.missing(event, member(1))).toEqual({ realName: false, question: false });
    expect((await w.service.store.guests(event.id)).map((g) => [g.realName, g.status, g.answer])).toEqual([
      ['Anna Muster', 'going', 'vegetarian'],
      ['Bob Beispiel', 'waitlist', ''],
    ]);
    expect(await w.service.forget(member(1), () => event)).toBeGreaterThan(0);
    expect(await w.service.mine(member(1))).toEqual({ answers: [], realName: undefined, reminders: false });
    // The seat member 1 held went to the waitlist.
    expect((await w.service.store.entry(event.id, 'slack', 'U2'))?.status).toBe('going');
  });

  it('deletes RSVPs, profiles and direct messages of meetups that ended more than the retention ago', async () => {
    const w = world(1);
    await w.service.respond(w.event, member(1), 'going');
    await w.service.respond(w.event, member(2), 'going');
    await w.service.respond(w.event, member(1), 'declined');
    await w.service.setRealName(member(1), 'Anna Muster');
    await w.service.setReminders(member(3), true); // a profile without answers
    w.clock.set(w.event.end.plus({ days: 29 }));
    // Answers stay until 30 days after the meetup; a profile with no answers goes after 30 untouched days.
    expect(await w.service.purge()).toEqual({ answers: 0, members: 1, messages: 0 });
    expect((await w.service.mine(member(1))).realName).toBe('Anna Muster');
    w.clock.set(w.event.end.plus({ days: 31 }));
    expect(await w.service.purge()).toEqual({ answers: 2, members: 1, messages: 1 });
    expect((await w.service.mine(member(1))).realName).toBeUndefined();
    expect(await w.db.row(sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM rsvps`)).toEqual({ n: 0 });
    expect(await w.db.row(sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM outbox WHERE kind = 'message'`)).toEqual({ n: 0 });
  });

  describe('100 members pressing Going at once for 50 seats, from four processes on one database', () => {
    let dir: string;
    let db: Db;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'sremuc-rsvp-'));
      const shared = sharedDb(dir);
      await (await shared.open()).close();
      const workers = [0, 25, 50, 75].map((first) =>
        spawn(process.execPath, [built('test/rsvp/press-worker.ts'), shared.file ?? '', '50', String(first), '25'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...shared.env } }),
      );
      const lines = workers.map((w) => createInterface({ input: w.stdout! })[Symbol.asyncIterator]());
      for (const l of lines) expect((await l.next()).value).toBe('ready');
      for (const w of workers) w.stdin!.write('go\n');
      for (const l of lines) expect((await l.next()).value).toBe('done');
      db = await shared.open();
    });
    afterAll(async () => {
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('seats exactly 50 and waitlists exactly 50, in the order their presses were committed', async () => {
      const store = new RsvpStore(db);
      expect(await store.counts('sre-munich-2026-12')).toEqual({ going: 50, waitlist: 50, declined: 0 });
      const guests = await store.guests('sre-munich-2026-12');
      const going = guests.filter((g) => g.status === 'going').map((g) => g.queueNo);
      const waiting = guests.filter((g) => g.status === 'waitlist').map((g) => g.queueNo);
      // Arrival numbers are unique and gapless: the first 50 committed got the seats, the rest queue behind them.
      expect([...going, ...waiting].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(Math.max(...going)).toBeLessThan(Math.min(...waiting));
      const positions = [];
      for (const g of guests.filter((g) => g.status === 'waitlist')) positions.push(await store.position(g.eventId, g.platform, g.userId));
      expect(positions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // Every one of the 100 members got exactly one answer, from all four processes.
      expect(new Set(guests.map((g) => g.userId)).size).toBe(100);
    });
  });
});
