/**
 * Replay protection for signed requests: a signature is accepted once, on every process sharing the database,
 * and old signatures are pruned now and then rather than on every request.
 */
import { sql } from 'kysely';
import { REQUEST_WINDOW_SEC, SeenRequests } from '../../src/store/seen-requests';
import { memoryDb } from '../helpers/db';
import type { Db } from '../../src/store/db';

let db: Db;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(() => db.close());

const stored = async () =>
  (await db.rows<{ signature: string }>(sql`SELECT signature FROM slack_request_signatures ORDER BY signature`)).map((row) => row.signature);

describe('SeenRequests', () => {
  it('accepts a signature once and refuses it again, also from a second process on the same database', async () => {
    const now = 1_800_000_000;
    expect(await new SeenRequests(db).firstTime('v0=aa', now, now)).toBe(true);
    expect(await new SeenRequests(db).firstTime('v0=aa', now, now + 1)).toBe(false);
    expect(await new SeenRequests(db).firstTime('v0=bb', now, now + 1)).toBe(true);
  });

  it('prunes signatures older than twice the window, at most once a minute', async () => {
    const seen = new SeenRequests(db);
    const start = 1_800_000_000;
    await seen.firstTime('v0=old', start, start);
    const later = start + 2 * REQUEST_WINDOW_SEC + 10;
    // First request after start-up prunes: the old row is past twice the window.
    await seen.firstTime('v0=new1', later, later);
    expect(await stored()).toEqual(['v0=new1']);
    // A row that falls out of the window is kept until a minute after the last prune...
    await seen.firstTime('v0=aging', later - 2 * REQUEST_WINDOW_SEC, later + 1);
    await seen.firstTime('v0=new2', later + 30, later + 30);
    expect(await stored()).toEqual(['v0=aging', 'v0=new1', 'v0=new2']);
    // ...and goes with the next prune.
    await seen.firstTime('v0=new3', later + 61, later + 61);
    expect(await stored()).toEqual(['v0=new1', 'v0=new2', 'v0=new3']);
  });
});
