import type { MeetupEvent, Session } from '../../../src/catalogue/event';
import { ImportError } from '../../../src/sources/importers/event';
import { importFrabXml, importPretalxJson } from '../../../src/sources/importers/pretalx';
import { importSessionize } from '../../../src/sources/importers/sessionize';
import { context, fixture } from './context';

const row = (s: Session) => [s.start.toISO(), s.end.toFormat('HH:mm'), s.room, s.track ?? null, s.kind ?? null, s.title, s.speakers.map((p) => p.name).join(', ')];

/** pretalx's JSON and XML exports of one schedule give the same event. */
const SREDAY_ROWS = [
  ['2026-10-23T09:30:00.000+02:00', '10:15', 'Main Stage', 'Observability', 'talk', 'SLOs that page the people who can act', 'Anna Berger'],
  ['2026-10-23T09:30:00.000+02:00', '12:30', 'Workshop Room', 'Observability', 'workshop', 'Hands-on OpenTelemetry', 'Lukas Maier'],
  ['2026-10-23T10:30:00.000+02:00', '11:00', 'Main Stage', 'Culture', 'talk', 'Blameless, not aimless: Post-incident reviews that change things', 'Jonas Huber, Mia Schmidt'],
  ['2026-10-24T09:00:00.000+02:00', '10:00', 'Main Stage', null, 'keynote', 'Keynote: Twenty years of on-call', 'Sam Okafor'],
  ['2026-10-24T16:30:00.000+02:00', '17:00', 'Main Stage', null, 'lightning talks', 'Lightning talks and closing', ''],
];

function checkSreday(event: MeetupEvent) {
  expect(event).toMatchObject({ id: 'sreday', title: 'SREday Munich 2026', timeZone: 'Europe/Berlin', announce: false, status: 'scheduled' });
  expect(event.start.toISO()).toBe('2026-10-23T09:30:00.000+02:00');
  expect(event.end.toISO()).toBe('2026-10-24T17:00:00.000+02:00');
  expect(event.sessions!.map(row)).toEqual(SREDAY_ROWS);
  const [slos, , blameless, keynote] = event.sessions!;
  expect(slos!.links).toEqual([
    { label: 'Session page', url: 'https://pretalx.example.org/sreday-2026/talk/QXR7TK/' },
    { label: 'Slides', url: 'https://slides.example.org/slos.pdf' },
  ]);
  expect(slos!.abstract).toMatch(/^Error budgets are easy/);
  // HTML in abstracts becomes plain text; a javascript: link never leaves the importer.
  expect(blameless!.abstract).toBe('Reviews that end with owners & dates.');
  expect(keynote!.abstract).toBe('What changed, what did not.');
  expect(keynote!.links.map((l) => l.url)).toEqual(['https://pretalx.example.org/sreday-2026/talk/H6MZ8D/']);
}

describe('pretalx / frab schedule exports', () => {
  it('schedule.json: days, rooms, times in the conference zone, speakers, tracks and links', () => {
    const events = importPretalxJson(fixture('pretalx-schedule.json'), context({ name: 'sreday', kind: 'pretalx' }));
    expect(events).toHaveLength(1);
    checkSreday(events[0]!);
  });

  it('schedule.xml: the same schedule from the XML export', () => {
    const events = importFrabXml(fixture('frab-schedule.xml'), context({ name: 'sreday', kind: 'frab' }));
    checkSreday(events[0]!);
    // Same guids, same session ids in both exports: the feeds do not change when a source switches format.
    const fromJson = importPretalxJson(fixture('pretalx-schedule.json'), context({ name: 'sreday', kind: 'pretalx' }))[0]!;
    expect(events[0]!.sessions!.map((s) => s.id)).toEqual(fromJson.sessions!.map((s) => s.id));
  });

  it('names what is wrong with a body that is not a schedule', () => {
    expect(() => importPretalxJson('<html>', context())).toThrow(ImportError);
    expect(() => importPretalxJson('{"schedule":{}}', context())).toThrow(/schedule\.conference\.days/);
    expect(() => importFrabXml('{"json":true}', context())).toThrow(/not well-formed XML/);
    expect(() => importFrabXml('<calendar><day/></calendar>', context())).toThrow(/<schedule>/);
  });
});

describe('Sessionize view/All', () => {
  const event = () => importSessionize(fixture('sessionize-all.json'), context({ name: 'sre-summit', kind: 'sessionize', title: 'SRE Summit 2027', timeZone: 'Europe/London' }))[0]!;

  it('reads sessions with rooms, tracks, formats and speakers by id, in the configured zone', () => {
    const e = event();
    expect(e).toMatchObject({ id: 'sre-summit', title: 'SRE Summit 2027', timeZone: 'Europe/London' });
    expect(e.sessions!.map(row)).toEqual([
      ['2027-03-29T08:00:00.000+01:00', '09:00', 'Hall A', null, 'break', 'Registration and coffee', ''],
      ['2027-03-29T09:00:00.000+01:00', '09:45', 'Hall A', 'Resilience', 'session', 'Chaos engineering on a budget', 'Priya Raman'],
      ['2027-03-29T09:00:00.000+01:00', '09:45', 'Room 2.1', 'Platforms', 'session', 'Kubernetes upgrades without drama', 'Tomás Ruiz, Eva Novak'],
      ['2027-03-30T10:00:00.000+01:00', '10:20', 'Hall A', 'Resilience', 'lightning talk', 'On-call health, measured', 'Priya Raman'],
    ]);
    const chaos = e.sessions![1]!;
    expect(chaos.speakers[0]).toEqual({ name: 'Priya Raman', company: 'SRE at Example Bank' });
    expect(chaos.links).toEqual([{ label: 'Recording', url: 'https://www.youtube.com/watch?v=abc123' }]);
    expect(chaos.abstract).toBe('Game days with nothing but a shell script and a timer.\n\nWhat we broke, and what we learned.');
  });

  it('points at the right endpoint when given another Sessionize view', () => {
    expect(() => importSessionize('[{"groupId":1,"sessions":[]}]', context())).toThrow(/view\/All/);
  });
});
