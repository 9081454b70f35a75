/**
 * One "bot process" pressing Going for a batch of members at once, on its own connection(s) to a shared
 * database (a SQLite file, or PostgreSQL when DATABASE_URL is set): run by test/rsvp/store.test.ts as several
 * processes, so the presses really race for the seats. Usage: node dist/test/rsvp/press-worker.js <db file>
 * <capacity> <first member> <count>; it waits for a line on stdin before pressing, so every process starts
 * together, and prints "done" when finished.
 */
import { DateTime } from 'luxon';
import { RsvpStore } from '../../src/rsvp/store';
import { openConfigured } from '../../src/store/db';

const [file, capacity, first, count] = process.argv.slice(2);

async function main(): Promise<void> {
  const db = await openConfigured({ databasePath: file!, databaseUrl: process.env.DATABASE_URL });
  const store = new RsvpStore(db);
  const event = { id: 'sre-munich-2026-12', end: DateTime.fromISO('2026-12-10T21:00', { zone: 'Europe/Berlin' }), capacity: Number(capacity) };
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  // All of this process's presses at once: on PostgreSQL they race over several connections too.
  const presses = Array.from({ length: Number(count) }, (_, n) => Number(first) + n).map((i) =>
    store.answer(event, { platform: 'slack', userId: `U${String(i).padStart(4, '0')}`, name: `member ${i}` }, 'going', undefined, DateTime.now(), () => undefined),
  );
  await Promise.all(presses);
  await db.close();
  process.stdout.write('done\n');
  process.exit(0);
}

void main();
