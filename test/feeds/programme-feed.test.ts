/**
 * A conference's programme as a calendar: `/talks.ics?event=<id>` over the real HTTP server, parsed with
 * node-ical and ical.js. SREcon EMEA 2016 (the seed's Sched schedule, imported) and a hand-written YAML event:
 * one entry per session, stable UIDs, times in the event's zone, the room as LOCATION, ETag/304, and links to
 * it from the page, /subscribe and /agenda <event>.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { Catalogue } from '../../src/catalogue/catalogue';
import { ManualClock } from '../helpers/clock';
import { toPlainText } from '../../src/chat/message';
import { lazyMemoryDb } from '../helpers/db';
import { parseYamlEvent } from '../../src/sources/yaml-event';
import { srecon2016 } from '../commands/programme-world';
import { makeWorld, member, messageOf } from '../commands/world';
import { makeEvent, makeSettings } from '../helpers/events';
import { parseBoth, parseWithNodeIcal } from './ics';
import { startFeedServer, type FeedServerUnderTest } from './feed-server';

const settings = makeSettings();
const unconf = () =>
  parseYamlEvent(readFileSync(path.join(__dirname, '..', 'fixtures', 'sources', 'sremuc-unconf-2026.yml'), 'utf8'), { file: 'events/sremuc-unconf-2026.yml', settings }).event!;

describe('per-event programme feeds', () => {
  const clock = new ManualClock('2016-06-01T10:00:00Z');
  let server: FeedServerUnderTest;
  const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;
  const send = (p: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; etag?: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, path: p, headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, etag: res.headers.etag }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    server = await startFeedServer({ db: lazyMemoryDb(), publicUrl: 'https://cal.sre.xyz', clock });
    await server.update(new Catalogue([makeEvent(), srecon2016(), unconf()]), settings);
  });
  afterAll(() => server.stop());

  it('SREcon EMEA 2016: one entry per session, in Dublin time, the room as LOCATION, 304 on its ETag', async () => {
    const res = await fetch(url('/talks.ics?event=srecon-emea-2016'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    // Both parsers read the same entries; ical.js also gives the wall time as written.
    const { events } = parseBoth(text);
    expect(events).toHaveLength(srecon2016().sessions!.length);
    expect(parseWithNodeIcal(text).events).toHaveLength(events.length);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    for (const e of events) expect(e.startZone).toBe('Europe/Dublin');
    const keynote = srecon2016().sessions!.find((s) => s.room && s.speakers.length > 0)!;
    const entry = events.find((e) => e.summary.startsWith(keynote.title))!;
    expect(entry.location).toBe(`${keynote.room}, Conrad Dublin`);
    expect(entry.start).toBe(keynote.start.toUTC().toISO());
    expect(entry.startLocal).toBe(keynote.start.toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    expect(entry.summary).toContain(keynote.speakers[0]!.name);

    // Revalidated as a calendar app does (node:http, no cache directives of its own): 304 on the same ETag.
    const first = await send('/talks.ics?event=srecon-emea-2016');
    expect(first.status).toBe(200);
    expect(await send('/talks.ics?event=srecon-emea-2016', { 'If-None-Match': first.etag! })).toEqual({ status: 304, etag: first.etag });
    expect((await send('/talks.ics?event=sremuc-unconf-2026', { 'If-None-Match': first.etag! })).status).toBe(200);
    // The event feed, the talks of a meetup and an unknown event are other answers.
    expect((await fetch(url('/talks.ics?event=nope'))).status).toBe(404);
    expect((await fetch(url('/talks.ics?event=a&event=b'))).status).toBe(400);
    const meetupTalks = parseWithNodeIcal(await (await fetch(url(`/talks.ics?event=${makeEvent().id}`))).text()).events;
    expect(meetupTalks.map((e) => e.summary)).toEqual(makeEvent().talks.map((t) => expect.stringContaining(t.title)));
    // Every talk and session is in the unfiltered talks feed too.
    const all = parseWithNodeIcal(await (await fetch(url('/talks.ics'))).text()).events;
    expect(all).toHaveLength(events.length + meetupTalks.length + unconf().sessions!.length);
  });

  it('UIDs are stable across reloads and a moved session keeps its UID with a new SEQUENCE', async () => {
    const before = parseBoth(await (await fetch(url('/talks.ics?event=sremuc-unconf-2026'))).text()).events;
    expect(before.map((e) => e.location)).toEqual(['Main hall, Werk1', 'Main hall, Werk1', 'Workshop room, Werk1', 'Werk1', 'Main hall, Werk1', 'Rooftop, Werk1']);
    // Across the October clock change: Saturday in CEST, Sunday in CET, both written as Berlin wall time.
    expect(before.map((e) => [e.startZone, e.startLocal])).toEqual([
      ['Europe/Berlin', '2026-10-24T09:00:00'],
      ['Europe/Berlin', '2026-10-24T09:45:00'],
      ['Europe/Berlin', '2026-10-24T09:45:00'],
      ['Europe/Berlin', '2026-10-24T12:00:00'],
      ['Europe/Berlin', '2026-10-25T10:00:00'],
      ['Europe/Berlin', '2026-10-25T22:00:00'],
    ]);
    expect(before[4]!.start).toBe('2026-10-25T09:00:00.000Z');
    const workshop = before.find((e) => e.summary.startsWith('Chaos engineering workshop'))!;

    const moved = unconf();
    moved.sessions = moved.sessions!.map((s) => (s.id === 'chaos-workshop' ? { ...s, room: 'Main hall annex', start: s.start.plus({ minutes: 15 }) } : s));
    await server.update(new Catalogue([makeEvent(), srecon2016(), moved]), settings);
    const after = parseBoth(await (await fetch(url('/talks.ics?event=sremuc-unconf-2026'))).text()).events;
    expect(after.map((e) => e.uid)).toEqual(before.map((e) => e.uid));
    const movedEntry = after.find((e) => e.uid === workshop.uid)!;
    expect(movedEntry).toMatchObject({ location: 'Main hall annex, Werk1', sequence: workshop.sequence + 1, startLocal: '2026-10-24T10:00:00' });
    expect(after.filter((e) => e.uid !== workshop.uid).map((e) => e.sequence)).toEqual(before.filter((e) => e.uid !== workshop.uid).map((e) => e.sequence));
  });

  it('linked from the page, /subscribe and /agenda <event>', async () => {
    const page = await (await fetch(url('/'))).text();
    expect(page).toContain('href="https://cal.sre.xyz/talks.ics?event=sremuc-unconf-2026"');
    const world = makeWorld({ events: [makeEvent(), srecon2016(), unconf()], now: '2026-10-01T12:00' });
    const subscribe = toPlainText(messageOf(await world.dispatcher.runText('subscribe', '', member)));
    expect(subscribe).toContain('Conference programmes');
    expect(subscribe).toContain('SRE Munich Unconference 2026: every session (.ics) (http://127.0.0.1:8080/talks.ics?event=sremuc-unconf-2026)');
    const agenda = messageOf(await world.dispatcher.runText('agenda', 'srecon', member));
    expect(agenda.links).toContainEqual({ label: 'Every session in your calendar', url: 'http://127.0.0.1:8080/talks.ics?event=srecon-emea-2016' });
  });
});
