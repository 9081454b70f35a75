import { lazyMemoryDb } from '../helpers/db';
import { DateTime } from 'luxon';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { MeetupEvent } from '../../src/catalogue/event';
import { ManualClock } from '../helpers/clock';
import { talkWindow } from '../../src/feeds/entries';
import { foldLines } from '../../src/feeds/fold';
import { FeedSet, parseAlarmParam } from '../../src/feeds/render';
import { FeedSequences } from '../../src/feeds/sequence';
import type { Db } from '../../src/store/db';
import { berlin, makeEvent, makeSettings } from '../helpers/events';
import { contentLines, parseBoth, parseWithIcalJs, type ParsedEvent } from './ics';
import { url } from '../helpers/url';

const PUBLIC_URL = 'https://feeds.example.org';

function summer(): MeetupEvent {
  return makeEvent();
}

function winter(): MeetupEvent {
  const start = berlin('2024-01-31T18:30');
  return makeEvent({
    id: 'sre-munich-winter-event-2024',
    title: 'SRE+Grafana Munich at nordcloud 2024',
    start,
    end: start.set({ hour: 21, minute: 0 }),
    venue: 'Nordcloud',
    address: 'Highlight Towers, Mies-van-der-Rohe-Str. 8, 80807 München',
    url: url('https://muc.sre.xyz/posts/sre-munich-winter-event-2024/'),
    talks: [],
    agenda: [],
  });
}

/** On the day clocks spring forward: 18:30 that evening is already CEST. */
function springForwardDay(): MeetupEvent {
  const start = berlin('2024-03-31T18:30');
  return makeEvent({ id: 'dst-spring-2024', title: 'Spring forward meetup', start, end: start.set({ hour: 21, minute: 0 }), talks: [], agenda: [] });
}

/** Through the night clocks fall back: six hours on the wall clock, seven in real time. */
function acrossFallBack(): MeetupEvent {
  return makeEvent({
    id: 'dst-night-2024',
    title: 'Oktoberfest on-call night',
    start: berlin('2024-10-26T22:00'),
    end: berlin('2024-10-27T04:00'),
    talks: [],
    agenda: [],
  });
}

interface World {
  db: Db;
  clock: ManualClock;
  build(events: MeetupEvent[], settings?: ReturnType<typeof makeSettings>): Promise<FeedSet>;
}

function world(): World {
  const db = lazyMemoryDb();
  const clock = new ManualClock('2024-06-01T10:00:00Z');
  return {
    db,
    clock,
    build: (events, settings = makeSettings()) =>
      FeedSet.build({ catalogue: new Catalogue(events), settings, sequences: new FeedSequences(db, clock), publicUrl: PUBLIC_URL }),
  };
}

const byUid = (events: ParsedEvent[], uid: string) => {
  const found = events.find((e) => e.uid === uid);
  if (!found) throw new Error(`no event ${uid} in ${events.map((e) => e.uid).join(', ')}`);
  return found;
};

describe('meetups calendar', () => {
  it('puts summer, winter and DST-day meetups at the right instants in Europe/Berlin, for both parsers', async () => {
    const feeds = await world().build([summer(), winter(), springForwardDay(), acrossFallBack()]);
    const { events } = parseBoth(feeds.calendar());

    const july = byUid(events, 'sre-munich-summer-event-2024@muc.sre.xyz');
    expect(july).toMatchObject({ startZone: 'Europe/Berlin', startLocal: '2024-07-10T18:30:00', start: '2024-07-10T16:30:00.000Z', end: '2024-07-10T19:00:00.000Z' });

    const january = byUid(events, 'sre-munich-winter-event-2024@muc.sre.xyz');
    expect(january).toMatchObject({ startZone: 'Europe/Berlin', startLocal: '2024-01-31T18:30:00', start: '2024-01-31T17:30:00.000Z', end: '2024-01-31T20:00:00.000Z' });

    expect(byUid(events, 'dst-spring-2024@muc.sre.xyz')).toMatchObject({ start: '2024-03-31T16:30:00.000Z', end: '2024-03-31T19:00:00.000Z' });
    expect(byUid(events, 'dst-night-2024@muc.sre.xyz')).toMatchObject({ start: '2024-10-26T20:00:00.000Z', end: '2024-10-27T03:00:00.000Z' });
  });

  it('writes wall times with TZID, a VTIMEZONE for the zone and UTC stamps', async () => {
    const text = (await world().build([summer()])).calendar();
    const lines = contentLines(text);
    expect(lines).toContain('DTSTART;TZID=Europe/Berlin:20240710T183000');
    expect(lines).toContain('DTEND;TZID=Europe/Berlin:20240710T210000');
    expect(lines).toContain('BEGIN:VTIMEZONE');
    expect(lines).toContain('TZID:Europe/Berlin');
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Berlin');
    // RFC 5545 3.8.7.2: DTSTAMP is UTC. ical-generator writes it floating if the calendar has a zone name.
    expect(lines).toContain('DTSTAMP:20240601T100000Z');
    expect(lines).toContain('LAST-MODIFIED:20240601T100000Z');
    expect(lines.every((l) => l.length === 0 || /^[A-Z-]+[;:]/.test(l))).toBe(true);
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('describes the calendar: name, description, refresh interval, method', async () => {
    const lines = contentLines((await world().build([summer()])).calendar());
    expect(lines).toEqual(
      expect.arrayContaining([
        'NAME:SRE Munich',
        'X-WR-CALNAME:SRE Munich',
        'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
        'X-PUBLISHED-TTL:PT1H',
        'METHOD:PUBLISH',
        'URL:https://feeds.example.org/',
        'PRODID:-//sremuc-bot//feeds//EN',
        'SOURCE;VALUE=URI:https://feeds.example.org/calendar.ics',
      ]),
    );
    expect(lines.find((l) => l.startsWith('X-WR-CALDESC:'))).toBe('X-WR-CALDESC:SRE Munich meetups (#sremuc). Subscribe: https://feeds.example.org/');
  });

  it('gives each meetup its summary, plain-text agenda and talks, location, URL, organizer and status', async () => {
    const feeds = await world().build([summer(), winter()]);
    const text = feeds.calendar();
    const [july] = parseBoth(text).events.filter((e) => e.uid.startsWith('sre-munich-summer'));
    expect(july.summary).toBe('SRE Munich at Celonis 2024');
    expect(july.status).toBe('CONFIRMED');
    expect(july.location).toBe('Celonis');
    expect(july.url).toBe('https://muc.sre.xyz/posts/sre-munich-summer-event-2024/');
    expect(july.description).toContain('Agenda (Europe/Berlin):\n18:30  Get together with food and drinks\n19:00  Celonis welcomes you to SREmuc');
    expect(july.description).toContain('- Lessons learned from 15 years DevOps (Paul Stack, System Initiative)\n  It\'s almost 15 years since the inception of DevOps.');
    expect(july.description).toContain('  Slides: https://muc.sre.xyz/slides/2024_07/clickhouse.pdf');
    expect(july.description).toContain('Details: https://muc.sre.xyz/posts/sre-munich-summer-event-2024/');
    expect(contentLines(text)).toContain('ORGANIZER;CN="SRE Munich":mailto:muc@sre.xyz');

    const january = parseBoth(text).events.find((e) => e.uid.startsWith('sre-munich-winter'))!;
    expect(january.location).toBe('Nordcloud, Highlight Towers, Mies-van-der-Rohe-Str. 8, 80807 München');
  });

  it('uses the online link as location for online meetups and mentions it for hybrid ones', async () => {
    const online = makeEvent({ id: 'online-2020', venue: undefined, online: 'https://meet.example.org/sremuc', talks: [], agenda: [] });
    const hybrid = makeEvent({ id: 'hybrid-2021', start: berlin('2021-05-05T18:30'), end: berlin('2021-05-05T21:00'), online: 'https://meet.example.org/hybrid', talks: [], agenda: [] });
    const { events } = parseBoth((await world().build([online, hybrid])).calendar());
    expect(byUid(events, 'online-2020@muc.sre.xyz').location).toBe('https://meet.example.org/sremuc');
    const both = byUid(events, 'hybrid-2021@muc.sre.xyz');
    expect(both.location).toBe('Celonis');
    expect(both.description).toContain('Join online: https://meet.example.org/hybrid');
  });

  it('lists past and upcoming meetups in start order', async () => {
    const { events } = parseWithIcalJs((await world().build([summer(), springForwardDay(), winter()])).calendar());
    expect(events.map((e) => e.uid.split('@')[0])).toEqual(['sre-munich-winter-event-2024', 'dst-spring-2024', 'sre-munich-summer-event-2024']);
  });

  it('follows the community zone from settings, not a hard-coded Berlin', async () => {
    const start = DateTime.fromISO('2024-11-06T18:30', { zone: 'America/New_York' });
    const event = makeEvent({ id: 'nyc', start, end: start.set({ hour: 21, minute: 0 }), talks: [], agenda: [] });
    const text = (await world().build([event], makeSettings({ timeZone: 'America/New_York' }))).calendar();
    expect(contentLines(text)).toEqual(expect.arrayContaining(['DTSTART;TZID=America/New_York:20241106T183000', 'TZID:America/New_York']));
    expect(parseBoth(text).events[0].start).toBe('2024-11-06T23:30:00.000Z');
  });
});

describe('cancelled meetups', () => {
  it('keep their UID, say CANCELLED in status and title, and carry no reminder', async () => {
    const w = world();
    await w.build([summer()]);
    const text = (await w.build([summer(), makeEvent({ ...winter(), status: 'cancelled' })])).calendar({ alarmMinutes: 30 });
    const { events } = parseBoth(text);
    const cancelled = byUid(events, 'sre-munich-winter-event-2024@muc.sre.xyz');
    expect(cancelled).toMatchObject({ status: 'CANCELLED', summary: 'CANCELLED: SRE+Grafana Munich at nordcloud 2024', alarmTriggers: [] });
    expect(cancelled.description.startsWith('This meetup has been cancelled.')).toBe(true);
    expect(byUid(events, 'sre-munich-summer-event-2024@muc.sre.xyz').alarmTriggers).toEqual(['-PT30M']);
  });

  it('bump SEQUENCE when a published meetup is cancelled, so clients replace it', async () => {
    const w = world();
    await w.build([summer()]);
    w.clock.advance({ days: 3 });
    const feeds = await w.build([makeEvent({ status: 'cancelled' })]);
    const [event] = parseBoth(feeds.calendar()).events;
    expect(event).toMatchObject({ sequence: 1, status: 'CANCELLED', lastModified: '2024-06-04T10:00:00.000Z' });
  });

  it('cancel their talks too', async () => {
    const { events } = parseBoth((await world().build([makeEvent({ status: 'cancelled' })])).talksCalendar());
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.status === 'CANCELLED' && e.summary.startsWith('CANCELLED: '))).toBe(true);
  });
});

describe('UIDs and SEQUENCE', () => {
  it('derives stable UIDs from event ids and the website host, identical across renders and reloads', async () => {
    const w = world();
    const first = parseWithIcalJs((await w.build([summer(), winter()])).calendar()).events.map((e) => e.uid);
    const again = parseWithIcalJs((await w.build([winter(), summer()])).calendar()).events.map((e) => e.uid);
    expect(first).toEqual(['sre-munich-winter-event-2024@muc.sre.xyz', 'sre-munich-summer-event-2024@muc.sre.xyz']);
    expect(again).toEqual(first);
  });

  it('falls back to the feed host for UIDs when no website is configured', async () => {
    const { events } = parseWithIcalJs((await world().build([summer()], makeSettings({ website: undefined }))).calendar());
    expect(events[0].uid).toBe('sre-munich-summer-event-2024@feeds.example.org');
  });

  it("keeps a talk's UID when its title is corrected, so calendars update the entry rather than replace it", async () => {
    const w = world();
    const event = summer();
    const before = parseWithIcalJs((await w.build([event])).talksCalendar()).events;
    expect(before.map((e) => e.uid)).toEqual([
      'sre-munich-summer-event-2024-talk-1@muc.sre.xyz',
      'sre-munich-summer-event-2024-talk-2@muc.sre.xyz',
    ]);
    w.clock.advance({ hours: 1 });
    const retitled = { ...event, talks: [{ ...event.talks[0]!, title: 'Upgrading ClickHouse at scale' }, event.talks[1]!] };
    const after = parseBoth((await w.build([retitled])).talksCalendar()).events;
    expect(after.map((e) => e.uid)).toEqual(before.map((e) => e.uid));
    expect(after[0]).toMatchObject({ summary: 'Upgrading ClickHouse at scale (Michael Lex, ClickHouse)', sequence: 1 });
    expect(after[1]!.sequence).toBe(0);

    const lightning = { title: 'Lightning talk', speakers: [], kind: 'lightning' as const, slides: [] };
    const uids = parseWithIcalJs((await w.build([makeEvent({ talks: [lightning, lightning] })])).talksCalendar()).events.map((e) => e.uid);
    expect(new Set(uids).size).toBe(2);
  });

  it('keeps SEQUENCE and DTSTAMP on an unchanged reload, so the bytes are identical', async () => {
    const w = world();
    const first = (await w.build([summer(), winter()])).calendar();
    w.clock.advance({ hours: 5 });
    const second = (await w.build([summer(), winter()])).calendar();
    expect(second).toBe(first);
    expect(parseBoth(second).events.map((e) => e.sequence)).toEqual([0, 0]);
  });

  it('bumps SEQUENCE and LAST-MODIFIED only for the meetup that changed, and remembers it across restarts', async () => {
    const w = world();
    await w.build([summer(), winter()]);
    w.clock.set('2024-06-02T08:00:00Z');
    const moved = makeEvent({ venue: 'Celonis HQ, 5th floor' });
    const events = parseBoth((await w.build([moved, winter()])).calendar()).events;
    expect(byUid(events, 'sre-munich-summer-event-2024@muc.sre.xyz')).toMatchObject({
      sequence: 1,
      lastModified: '2024-06-02T08:00:00.000Z',
      stamp: '2024-06-02T08:00:00.000Z',
      location: 'Celonis HQ, 5th floor',
    });
    expect(byUid(events, 'sre-munich-winter-event-2024@muc.sre.xyz')).toMatchObject({ sequence: 0, lastModified: '2024-06-01T10:00:00.000Z' });

    // A new process on the same database: same numbers, and the next edit continues from them.
    w.clock.set('2024-06-03T08:00:00Z');
    const restarted = await FeedSet.build({ catalogue: new Catalogue([moved, winter()]), settings: makeSettings(), sequences: new FeedSequences(w.db, w.clock), publicUrl: PUBLIC_URL });
    expect(restarted.revision('sre-munich-summer-event-2024@muc.sre.xyz')?.sequence).toBe(1);
    const later = await w.build([makeEvent({ venue: 'Celonis HQ, 6th floor' }), winter()]);
    expect(later.revision('sre-munich-summer-event-2024@muc.sre.xyz')?.sequence).toBe(2);
  });

  it('bumps a talk only when that talk changes', async () => {
    const w = world();
    const event = summer();
    await w.build([event]);
    const edited = { ...event, talks: [event.talks[0], { ...event.talks[1], abstract: 'A new abstract.' }] };
    const { events } = parseBoth((await w.build([edited])).talksCalendar());
    expect(events.map((e) => [e.summary.slice(0, 20), e.sequence])).toEqual([
      ['Upgrading thousands ', 0],
      ['Lessons learned from', 1],
    ]);
  });

  it('does not bump anything for a new ?alarm= rendering', async () => {
    const w = world();
    const feeds = await w.build([summer()]);
    const plain = parseBoth(feeds.calendar()).events[0];
    const withAlarm = parseBoth(feeds.calendar({ alarmMinutes: 15 })).events[0];
    expect(withAlarm.sequence).toBe(plain.sequence);
    expect(withAlarm.stamp).toBe(plain.stamp);
  });
});

describe('escaping', () => {
  const hostile = 'Rock, paper; scissors \\ done\r\nSTATUS:CANCELLED\r\nX-EVIL:1\nATTENDEE:mailto:x@y.z\rEND:VEVENT';

  it('keeps commas, semicolons, backslashes and line breaks inside the value', async () => {
    const event = makeEvent({ title: hostile, venue: 'Room 1; Floor 2, \\ wing', summary: 'Line one\r\nDESCRIPTION:fake', talks: [], agenda: [] });
    const text = (await world().build([event])).calendar();
    const lines = contentLines(text);
    expect(lines.filter((l) => l.startsWith('STATUS:'))).toEqual(['STATUS:CONFIRMED']);
    expect(lines.some((l) => /^(X-EVIL|ATTENDEE|DESCRIPTION:fake)/.test(l))).toBe(false);
    expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(1);

    const [parsed] = parseBoth(text).events;
    expect(parsed.summary).toBe('Rock, paper; scissors \\ done\nSTATUS:CANCELLED\nX-EVIL:1\nATTENDEE:mailto:x@y.z\nEND:VEVENT');
    expect(parsed.location).toBe('Room 1; Floor 2, \\ wing');
    expect(parsed.description.startsWith('Line one\nDESCRIPTION:fake')).toBe(true);
    expect(parsed.status).toBe('CONFIRMED');
  });

  it('drops control characters pasted into titles, places and descriptions (RFC 5545 allows none but tab)', async () => {
    const event = makeEvent({ title: 'Kick\u000boff\u0007 at\tnoon', venue: 'Room\u0000 1', summary: 'Bring\u001b[31m snacks\nand\u007f drinks', talks: [], agenda: [] });
    const text = (await world().build([event], makeSettings({ name: 'SRE\u0007 Munich' }))).calendar();
    expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)).toBe(false);
    const [parsed] = parseBoth(text).events;
    expect(parsed).toMatchObject({ summary: 'Kickoff at\tnoon', location: 'Room 1' });
    expect(parsed.description.startsWith('Bring[31m snacks\nand drinks')).toBe(true);
    expect(contentLines(text)).toContain('ORGANIZER;CN="SRE Munich":mailto:muc@sre.xyz');
  });

  it('escapes the community name in calendar properties and organizer, and odd ids in UIDs', async () => {
    const settings = makeSettings({ name: 'SRE\r\nX-EVIL:1; Munich, "quoted"' });
    const event = makeEvent({ id: 'odd id\r\nX-EVIL:2;x', talks: [], agenda: [] });
    const text = (await world().build([event], settings)).calendar();
    const lines = contentLines(text);
    expect(lines.some((l) => l.startsWith('X-EVIL'))).toBe(false);
    const parsed = parseBoth(text);
    expect(parsed.name).toBe('SRE\nX-EVIL:1; Munich, "quoted"');
    expect(parsed.events[0].uid).toBe('odd%20id%0D%0AX-EVIL%3A2%3Bx@muc.sre.xyz');
  });
});

describe('talks calendar', () => {
  it('has one entry per talk, timed from the agenda, with speakers and abstract', async () => {
    const { events } = parseBoth((await world().build([summer()])).talksCalendar());
    expect(events).toHaveLength(2);
    const [first, second] = events;
    expect(first).toMatchObject({
      summary: 'Upgrading thousands of stateful applications across a global Kubernetes infrastructure (Michael Lex, ClickHouse)',
      start: '2024-07-10T17:10:00.000Z',
      end: '2024-07-10T17:40:00.000Z',
      location: 'Celonis',
      url: 'https://muc.sre.xyz/posts/sre-munich-summer-event-2024/',
    });
    expect(first.description).toContain('Talk at SRE Munich at Celonis 2024, 10 July 2024');
    expect(first.description).toContain('How do you upgrade thousands of similar but independent stateful applications running ClickHouse?');
    expect(first.description).toContain('- Clickhouse: https://muc.sre.xyz/slides/2024_07/clickhouse.pdf');
    expect(second).toMatchObject({ start: '2024-07-10T17:40:00.000Z', end: '2024-07-10T18:30:00.000Z' });
  });

  it('uses the meetup window for a talk without a time, and a default length for the last timed talk', () => {
    const untimed = makeEvent({ talks: [{ title: 'Own your genAI workloads', speakers: [{ name: 'A. Speaker' }], kind: 'talk', slides: [] }], agenda: [] });
    expect(talkWindow(untimed, 0)).toEqual({ start: untimed.start, end: untimed.end });

    // The last talk of the evening runs for its kind's usual length, not until the meetup ends.
    const lightning = makeEvent({ talks: [{ title: 'Closing lightning', speakers: [], kind: 'lightning', slides: [], start: berlin('2024-07-10T19:15') }], agenda: [] });
    expect(talkWindow(lightning, 0).end.toISO()).toBe(berlin('2024-07-10T19:25').toISO());
    const closing = makeEvent({ talks: [{ title: 'Last talk', speakers: [], kind: 'talk', slides: [], start: berlin('2024-07-10T20:45') }], agenda: [] });
    expect(talkWindow(closing, 0).end.toISO()).toBe(closing.end.toISO());

    const late = berlin('2024-07-10T21:30');
    const overrun = makeEvent({ talks: [{ title: 'Late lightning', speakers: [], kind: 'lightning', slides: [], start: late }], agenda: [] });
    expect(talkWindow(overrun, 0).end.toISO()).toBe(late.plus({ minutes: 10 }).toISO());
  });
});

describe('alarms', () => {
  it('are off by default and added as display reminders when asked', async () => {
    const feeds = await world().build([summer()]);
    expect(parseBoth(feeds.calendar()).events[0].alarmTriggers).toEqual([]);
    expect(parseBoth(feeds.calendar({ alarmMinutes: 60 })).events[0].alarmTriggers).toEqual(['-PT1H']);
    expect(parseBoth(feeds.eventCalendar('sre-munich-summer-event-2024', { alarmMinutes: 0 })!).events[0].alarmTriggers).toEqual(['PT0S']);
    expect(contentLines(feeds.talksCalendar({ alarmMinutes: 10080 }))).toContain('TRIGGER:-P7D');
  });

  it.each([
    ['60', { minutes: 60 }],
    ['0', { minutes: 0 }],
    ['10080', { minutes: 10080 }],
  ])('accepts alarm=%s', (raw, expected) => {
    expect(parseAlarmParam(raw)).toEqual(expected);
  });

  it.each(['10081', '-5', '1.5', 'abc', '', '1e3', ' 60', '0x10', '999999'])('refuses alarm=%p with a reason', (raw) => {
    const result = parseAlarmParam(raw);
    expect(result).toEqual({ error: expect.stringMatching(/^alarm must be/) });
  });
});

describe('one meetup', () => {
  it('renders a calendar with just that meetup, and nothing for an unknown id', async () => {
    const feeds = await world().build([summer(), winter()]);
    const parsed = parseBoth(feeds.eventCalendar('sre-munich-winter-event-2024')!);
    expect(parsed.events.map((e) => e.uid)).toEqual(['sre-munich-winter-event-2024@muc.sre.xyz']);
    expect(parsed.name).toBe('SRE Munich: SRE+Grafana Munich at nordcloud 2024');
    expect(feeds.eventCalendar('no-such-meetup')).toBeUndefined();
  });
});

describe('foldLines', () => {
  it('folds at 75 octets without splitting UTF-8 sequences or surrogate pairs, and unfolds to the original', () => {
    const line = `SUMMARY:${'Grüße aus München 🍺 '.repeat(12)}`;
    const folded = foldLines(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(3);
    expect(physical.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(physical.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(physical.every((l) => !/[\uD800-\uDBFF]$/.test(l) && !/^ ?[\uDC00-\uDFFF]/.test(l))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('leaves short lines alone', () => {
    expect(foldLines('BEGIN:VEVENT\r\nSUMMARY:short\r\n')).toBe('BEGIN:VEVENT\r\nSUMMARY:short\r\n');
    const exactly75 = `X:${'a'.repeat(73)}`;
    expect(foldLines(exactly75)).toBe(exactly75);
    expect(foldLines(`${exactly75}b`)).toBe(`${exactly75}\r\n b`);
  });
});
