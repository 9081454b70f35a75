import { DateTime } from 'luxon';
import { Claims, type ClaimedRow } from '../../src/schedule/claims';
import { Lease, PLANNER_LEASE } from '../../src/schedule/lease';
import { Outbox, type NewOutboxRow } from '../../src/schedule/outbox';
import type { Db } from '../../src/store/db';
import { memoryDb } from '../helpers/db';

const NOW = DateTime.fromISO('2026-10-20T10:00:00Z', { zone: 'utc' });
const POSTS = { kind: 'posts' as const, except: [] };
const NO_LIMITS = { perChannelMs: {}, perSecond: {} };

function row(i: number, channel = `C${i}`): NewOutboxRow {
  return { deliveryKey: `k${i}`, platform: 'slack', channel, kind: 'rule', dueAt: NOW, payload: { label: `p${i}`, message: { sections: [], fields: [], links: [], buttons: [] } }, contentHash: '', status: 'pending' };
}

describe('claims: each due row to one replica at a time, fenced by a per-row token', () => {
  let db: Db;
  let generation: number;
  beforeEach(async () => {
    db = await memoryDb();
    generation = (await new Lease(db, PLANNER_LEASE, 'planner').acquire())!;
  });
  afterEach(async () => {
    await db.close();
  });

  it('replicas claiming at once get disjoint rows, and together all of them', async () => {
    await new Outbox(db).insert(Array.from({ length: 60 }, (_, i) => row(i)), NOW, generation);
    const replicas = ['a', 'b', 'c'].map((name) => new Claims(db, name, NO_LIMITS, 30_000));
    const got: string[] = [];
    const drain = async (claims: Claims) => {
      for (let batch = await claims.claim(NOW, POSTS, 7); batch.claimed.length > 0; batch = await claims.claim(NOW, POSTS, 7)) got.push(...batch.claimed.map((c) => c.row.deliveryKey));
    };
    await Promise.all(replicas.map(drain));
    expect(got).toHaveLength(60);
    expect(new Set(got).size).toBe(60);
  });

  it('a replica whose claim expired and was taken over can neither start a send nor record an outcome', async () => {
    const outbox = new Outbox(db);
    await outbox.insert([row(1)], NOW, generation);
    const [first] = (await new Claims(db, 'sleeper', NO_LIMITS, 30_000).claim(NOW, POSTS, 1)).claimed as [ClaimedRow];
    // Nobody may take it while the claim lasts.
    expect((await new Claims(db, 'other', NO_LIMITS, 30_000).claim(NOW.plus({ seconds: 29 }), POSTS, 1)).claimed).toEqual([]);
    const later = NOW.plus({ seconds: 31 });
    const [second] = (await new Claims(db, 'other', NO_LIMITS, 30_000).claim(later, POSTS, 1)).claimed as [ClaimedRow];
    expect(second.fence.token).toBe(first.fence.token + 1);
    expect(await outbox.attempt('k1', first.fence, later)).toBe(false);
    expect(await outbox.markSent('k1', 'm-stale', first.fence, later)).toBe(false);
    expect(await outbox.attempt('k1', second.fence, later)).toBe(true);
    expect(await outbox.markSent('k1', 'm1', second.fence, later)).toBe(true);
    expect(await outbox.get('k1')).toMatchObject({ status: 'sent', messageId: 'm1', claimedBy: undefined });
  });

  it('an attempt needs the claim unexpired and the row checked under the current planner generation', async () => {
    const outbox = new Outbox(db);
    await outbox.insert([row(1), row(2)], NOW, generation);
    const { claimed } = await new Claims(db, 'r', NO_LIMITS, 30_000).claim(NOW, POSTS, 2);
    const [one, two] = claimed as [ClaimedRow, ClaimedRow];
    // Its own claim, but past its expiry: a replica that slept through it gives the row up.
    expect(await outbox.attempt(one.row.deliveryKey, one.fence, NOW.plus({ seconds: 31 }))).toBe(false);
    // Checked under the generation before a planner take-over: looked up again first.
    expect(await outbox.attempt(two.row.deliveryKey, { ...two.fence, generation: generation + 1 }, NOW)).toBe(false);
    expect(await outbox.attempt(two.row.deliveryKey, two.fence, NOW)).toBe(true);
  });

  it('pacing slots are shared: a channel gets one slot per gap and a platform its rate, whichever replica claims', async () => {
    await new Outbox(db).insert([row(1, 'CSAME'), row(2, 'CSAME'), row(3, 'CSAME'), ...Array.from({ length: 20 }, (_, i) => row(10 + i))], NOW, generation);
    const limits = { perChannelMs: { slack: 1_100 }, perSecond: { slack: 10 } };
    const a = new Claims(db, 'a', limits, 30_000);
    const b = new Claims(db, 'b', limits, 30_000);
    const first = await a.claim(NOW, POSTS, 20);
    const second = await b.claim(NOW, POSTS, 20);
    const all = [...first.claimed, ...second.claimed];
    // Slots in the database's clock: CSAME's at least 1.1 s apart, and all of them 100 ms apart (10 per second),
    // across both replicas; none more than the one-second lookahead after its claim.
    const apart = (slots: number[], ms: number) => slots.sort((x, y) => x - y).every((s, i) => i === 0 || s - slots[i - 1]! >= ms - 0.001);
    expect(apart(all.filter((c) => c.row.channel === 'CSAME').map((c) => c.slotAt), 1_100)).toBe(true);
    expect(apart(all.map((c) => c.slotAt), 100)).toBe(true);
    expect(all.every((c) => c.delayMs <= 1_000)).toBe(true);
    expect(first.claimed.filter((c) => c.row.channel === 'CSAME')).toHaveLength(1);
  });

  it("slots count from this replica's reading of the database clock, not from the end of its claim", async () => {
    await new Outbox(db).insert([row(1)], NOW, generation);
    // This process's monotonic clock: 1,000 before the database's clock is read, 1,010 after, then much later
    // (the rest of a slow claim transaction).
    const ticks = [1_000, 1_010, 5_000, 9_000];
    const claims = new Claims(db, 'a', { perChannelMs: {}, perSecond: { slack: 10 } }, 30_000, () => ticks.shift() ?? 9_000);
    const batch = await claims.claim(NOW, POSTS, 1);
    expect(batch.claimed).toHaveLength(1);
    expect(batch.clockReadAt).toBe(1_005);
  });
});
