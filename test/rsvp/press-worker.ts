/**
 * One "bot process" pressing Going for a batch of members at once, on its own connection to a shared database
 * file: run by test/rsvp/store.test.ts as several processes, so the presses really race for the write lock.
 * Usage: node dist/test/rsvp/press-worker.js <db file> <capacity> <first member> <count>; it waits for a
 * line on stdin before pressing, so every process starts together, and prints "done" when finished.
 */
import { DateTime } from 'luxon';
import { RsvpStore } from '../../src/rsvp/store';
import { openDatabase } from '../../src/store/db';

const [file, capacity, first, count] = process.argv.slice(2);
const db = openDatabase(file!);
const store = new RsvpStore(db);
const event = { id: 'sre-munich-2026-12', end: DateTime.fromISO('2026-12-10T21:00', { zone: 'Europe/Berlin' }), capacity: Number(capacity) };
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  for (let i = Number(first); i < Number(first) + Number(count); i++) {
    store.answer(event, { platform: 'slack', userId: `U${String(i).padStart(4, '0')}`, name: `member ${i}` }, 'going', undefined, DateTime.now(), () => undefined);
  }
  db.close();
  process.stdout.write('done\n');
  process.exit(0);
});
