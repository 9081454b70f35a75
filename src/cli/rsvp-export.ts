import 'dotenv/config';
import { writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import { loadConfigOrExit } from '../config';
import { guestListCsv } from '../rsvp/csv';
import { RsvpStore } from '../rsvp/store';
import { loadData } from '../sources/load';
import { openConfigured } from '../store/db';

const USAGE = 'Usage: npm run rsvp-export -- <event id, month like 2025-04, or "next"> [--out file.csv]\nPrints the guest list (real names, answers, waitlist order) as CSV, from the bot\'s database (DATABASE_PATH).\n';

/**
 * `npm run rsvp-export -- <event>`: the host's guest list as CSV on stdout (or --out), the same file organizers
 * get with /rsvp export. Reads the database the bot writes (DATABASE_PATH) and the event data (DATA_DIR) for
 * the meetup's name and question; a meetup gone from the data is still exported by its id.
 */
async function main(argv: string[]): Promise<number> {
  const out = argv.indexOf('--out');
  const file = out >= 0 ? argv[out + 1] : undefined;
  const query = argv.filter((_, i) => out < 0 || (i !== out && i !== out + 1)).join(' ').trim();
  if (!query || query === '--help' || query === '-h' || (out >= 0 && !file)) {
    process.stderr.write(USAGE);
    return query === '--help' || query === '-h' ? 0 : 2;
  }
  const config = loadConfigOrExit(process.env);
  const { catalogue, settings } = loadData(config.dataDir, { timeZone: config.timeZone });
  const now = DateTime.now().setZone(settings.timeZone);
  const db = await openConfigured(config);
  try {
    const store = new RsvpStore(db);
    const event: Pick<MeetupEvent, 'id' | 'rsvp'> | undefined = catalogue.byId(query) ?? catalogue.find(query.toLowerCase(), now).event ?? ((await store.guests(query)).length > 0 ? { id: query } : undefined);
    if (!event) {
      process.stderr.write(`No meetup matches "${query}" in ${config.dataDir}, and the database has no RSVPs under that id.\n`);
      return 1;
    }
    const guests = await store.guests(event.id);
    const csv = guestListCsv(event, guests);
    if (file) writeFileSync(file, csv.content);
    else process.stdout.write(csv.content);
    process.stderr.write(`${guests.length} answers for ${event.id}${file ? ` written to ${file}` : ''}.\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`rsvp-export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
