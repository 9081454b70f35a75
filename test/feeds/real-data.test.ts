import { lazyMemoryDb } from '../helpers/db';
import path from 'node:path';
import { ManualClock } from '../helpers/clock';
import { FeedSet } from '../../src/feeds/render';
import { FeedSequences } from '../../src/feeds/sequence';
import { loadData } from '../../src/sources/load';
import { contentLines, parseBoth } from './ics';

/** The 13 real SRE Munich posts in data/, through the real loader, into every feed. */
describe('feeds from the real data directory', () => {
  const { catalogue, settings } = loadData(path.join(__dirname, '..', '..', 'data'));
  let feeds: FeedSet;
  beforeAll(async () => {
    feeds = await FeedSet.build({
      catalogue,
      settings,
      sequences: new FeedSequences(lazyMemoryDb(), new ManualClock('2025-01-01T00:00:00Z')),
      publicUrl: 'https://cal.sre.xyz',
    });
  });

  const dated = catalogue.events.filter((e) => !e.dateToBeConfirmed);

  it('has every meetup with a date once, with unique UIDs and Berlin wall times; the six undated posts have no entry', () => {
    const text = feeds.calendar();
    const { events } = parseBoth(text);
    expect(catalogue.events.length).toBeGreaterThanOrEqual(13);
    expect(catalogue.events.length - dated.length).toBe(6);
    expect(events.map((e) => e.summary).sort()).toEqual(dated.map((e) => e.title).sort());
    for (const undated of catalogue.events.filter((e) => e.dateToBeConfirmed)) expect(feeds.eventCalendar(undated.id)).toBeUndefined();
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    const inEvents = contentLines(text.slice(text.indexOf('BEGIN:VEVENT')));
    const starts = inEvents.filter((l) => l.startsWith('DTSTART'));
    expect(starts).toHaveLength(events.length);
    expect(starts.every((l) => l.startsWith(`DTSTART;TZID=${settings.timeZone}:`))).toBe(true);
  });

  it('gives every talk a unique UID and a time inside its meetup', () => {
    const { events } = parseBoth(feeds.talksCalendar());
    const talkCount = dated.reduce((n, e) => n + e.talks.length, 0);
    expect(events).toHaveLength(talkCount);
    expect(new Set(events.map((e) => e.uid)).size).toBe(talkCount);
    for (const talk of events) {
      const meetup = catalogue.events.find((e) => talk.uid.startsWith(`${encodeURIComponent(e.id)}-talk-`))!;
      expect(Date.parse(talk.start)).toBeGreaterThanOrEqual(meetup.start.toMillis());
      expect(Date.parse(talk.end)).toBeLessThanOrEqual(Math.max(meetup.end.toMillis(), Date.parse(talk.start) + 45 * 60_000));
    }
  });

  it('renders each meetup on its own, parseable by both parsers', () => {
    for (const id of feeds.eventIds()) {
      const { events } = parseBoth(feeds.eventCalendar(id)!);
      expect(events).toHaveLength(1);
    }
  });

  it('puts the July 2024 meetup at 18:30 Berlin, with its talks in the description', () => {
    const july = parseBoth(feeds.eventCalendar('sre-munich-summer-event-2024')!).events[0];
    expect(july.start).toBe('2024-07-10T16:30:00.000Z');
    expect(july.description).toContain('Lessons learned from 15 years DevOps');
  });
});
