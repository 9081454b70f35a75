import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { lazyMemoryDb } from '../helpers/db';
import { ManualClock } from '../helpers/clock';
import { contentHash, FeedSequences } from '../../src/feeds/sequence';

describe('FeedSequences', () => {
  function setup() {
    const db = lazyMemoryDb();
    const clock = new ManualClock('2024-06-01T10:00:00Z');
    return { db, clock, sequences: new FeedSequences(db, clock) };
  }

  it('starts new UIDs at 0 with created = modified = now', async () => {
    const { sequences } = setup();
    const revision = (await sequences.record([{ uid: 'a@x', hash: 'h1' }])).get('a@x')!;
    expect(revision.sequence).toBe(0);
    expect(revision.created.toISO()).toBe('2024-06-01T10:00:00.000Z');
    expect(revision.modified.toISO()).toBe('2024-06-01T10:00:00.000Z');
  });

  it('keeps sequence and times for unchanged content, bumps both for changed content', async () => {
    const { clock, sequences } = setup();
    await sequences.record([{ uid: 'a@x', hash: 'h1' }, { uid: 'b@x', hash: 'h1' }]);
    clock.advance({ hours: 2 });
    const second = await sequences.record([{ uid: 'a@x', hash: 'h1' }, { uid: 'b@x', hash: 'h2' }]);
    expect(second.get('a@x')).toMatchObject({ sequence: 0 });
    expect(second.get('a@x')!.modified.toISO()).toBe('2024-06-01T10:00:00.000Z');
    expect(second.get('b@x')).toMatchObject({ sequence: 1 });
    expect(second.get('b@x')!.created.toISO()).toBe('2024-06-01T10:00:00.000Z');
    expect(second.get('b@x')!.modified.toISO()).toBe('2024-06-01T12:00:00.000Z');

    clock.advance({ hours: 1 });
    // Back to an earlier content is still a change for the client, which has the latest version.
    expect((await sequences.record([{ uid: 'b@x', hash: 'h1' }])).get('b@x')!.sequence).toBe(2);
  });

  it('survives a restart on the same database and stores rows in feed_sequences', async () => {
    const { db, clock, sequences } = setup();
    await sequences.record([{ uid: 'a@x', hash: 'h1' }]);
    await sequences.record([{ uid: 'a@x', hash: 'h2' }]);
    const reopened = new FeedSequences(db, clock);
    expect((await reopened.record([{ uid: 'a@x', hash: 'h2' }])).get('a@x')!.sequence).toBe(1);
    expect(await db.rows(sql`SELECT uid, content_hash, sequence FROM feed_sequences`)).toEqual([{ uid: 'a@x', content_hash: 'h2', sequence: 1 }]);
  });
});

describe('contentHash', () => {
  it('depends on the values and their order, and is the sha-256 of their JSON (the hashes databases already store)', () => {
    expect(contentHash(['x', 1, null])).toBe(contentHash(['x', 1, null]));
    expect(contentHash(['x', 1])).not.toBe(contentHash([1, 'x']));
    expect(contentHash(['x'])).not.toBe(contentHash(['y']));
    expect(contentHash(['x', 1, null])).toBe(createHash('sha256').update('["x",1,null]').digest('base64url'));
  });
});
