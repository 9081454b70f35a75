/**
 * Renders a fixed calendar and prints it, for render-zones.test.ts to run under different process time zones
 * (TZ is read once per process, so each zone needs its own process).
 */
import { lazyMemoryDb } from '../helpers/db';
import { Catalogue } from '../../src/catalogue/catalogue';
import { ManualClock } from '../helpers/clock';
import { FeedSet } from '../../src/feeds/render';
import { FeedSequences } from '../../src/feeds/sequence';
import { berlin, makeEvent, makeSettings } from '../helpers/events';

const events = [
  makeEvent(),
  makeEvent({ id: 'winter', start: berlin('2024-01-31T18:30'), end: berlin('2024-01-31T21:00'), talks: [], agenda: [] }),
  makeEvent({ id: 'fall-back-night', start: berlin('2024-10-26T22:00'), end: berlin('2024-10-27T04:00'), talks: [], agenda: [] }),
];
void FeedSet.build({
  catalogue: new Catalogue(events),
  settings: makeSettings(),
  sequences: new FeedSequences(lazyMemoryDb(), new ManualClock('2024-06-01T10:00:00Z')),
  publicUrl: 'https://feeds.example.org',
}).then((feeds) =>
  process.stdout.write(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, calendar: feeds.calendar({ alarmMinutes: 30 }), talks: feeds.talksCalendar() })),
);
