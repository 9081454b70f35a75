import type { MeetupEvent, Session } from '../../../src/catalogue/event';
import { importSchedIcs } from '../../../src/sources/importers/sched';
import { context, fixture } from './context';

/** SREcon EMEA 2016 as Sched exported it (test/fixtures/imports/sched-srecon16europe.ics, built from the seed). */
function srecon(): MeetupEvent {
  const events = importSchedIcs(fixture('sched-srecon16europe.ics'), context({ name: 'srecon-emea-2016', kind: 'sched', url: 'https://srecon16europe.sched.com/all.ics' }, '2016-06-01T12:00'));
  expect(events).toHaveLength(1);
  return events[0]!;
}

const row = (s: Session) => [`${s.start.toFormat('HH:mm')}-${s.end.toFormat('HH:mm')}`, s.room, s.title, s.speakers.map((p) => p.name).join(', ')];
const day = (e: MeetupEvent, iso: string) => e.sessions!.filter((s) => s.start.toISODate() === iso);

describe('Sched ICS: SREcon EMEA 2016 from the seed', () => {
  it('is one event in Europe/Dublin, Monday 08:00 IST to Wednesday 17:00 IST, not announced', () => {
    const e = srecon();
    expect(e.id).toBe('srecon-emea-2016');
    expect(e.title).toBe('SREcon16 Europe');
    expect(e.timeZone).toBe('Europe/Dublin');
    // IST is Irish Standard Time, UTC+1 in July: 08:00 IST is 07:00 UTC.
    expect(e.start.toISO()).toBe('2016-07-11T08:00:00.000+01:00');
    expect(e.start.toUTC().toISO()).toBe('2016-07-11T07:00:00.000Z');
    expect(e.end.toISO()).toBe('2016-07-13T17:00:00.000+01:00');
    expect(e.announce).toBe(false);
    expect(e.source.file).toBe('sources.yml#srecon-emea-2016');
    expect(e.sessions).toHaveLength(73);
  });

  it('Monday, July 11: every session with its times, room and speakers, as in the seed', () => {
    expect(day(srecon(), '2016-07-11').map(row)).toEqual([
      ['08:00-09:00', 'Pre-Function Area', 'Morning Coffee & Tea', ''],
      ['09:00-09:40', 'Lansdowne+Pembroke', 'Splicing SRE DNA Sequences in the Biggest Software Company on the Planet', 'Greg Veith'],
      ['09:40-10:20', 'Lansdowne+Pembroke', "Doorman: Global Distributed Client Side Rate Limiting", 'Jos Visser'],
      ['10:20-11:00', 'Pre-Function Area', 'Break with Refreshments', ''],
      ['11:00-11:40', 'Lansdowne+Pembroke', 'Panel: What is SRE?', 'John Looney'],
      ['11:00-17:00', 'Munster', 'Staring into the eBPF Abyss', 'Sasha Goldshtein'],
      ['11:00-17:00', 'Ulster', 'Data Center Networks: The Rip van Winkle Edition', ''],
      ['11:40-12:20', 'Lansdowne+Pembroke', 'Building and Running SRE Teams', 'Kurt Andersen'],
      ['12:20-13:40', 'Sussex Restaurant', 'Conference Luncheon', ''],
      ['13:40-14:20', 'Pembroke Room', 'The Production Engineering Lifecycle: How We Build, Run, and Disband Great Reliability-focused Teams', 'Andrew Ryan'],
      ['14:20-14:40', 'Lansdowne', 'Flash Sale Engineering', 'Emil Stolarsky'],
      ['14:20-14:40', 'Pembroke Room', 'How to Improve Your Service by Roasting It', 'Jake Welch'],
      ['14:40-15:00', 'Lansdowne', 'Managing Up and Sideways as an SRE', 'Liz Fong-Jones'],
      ['14:40-15:00', 'Pembroke Room', 'What SRE Means in a Start-up', 'Brian Scanlan'],
      ['15:00-15:40', 'Pre-Function Area', 'Break with Refreshments', ''],
      ['15:40-16:20', 'Lansdowne', 'Capacity Planning at Scale', 'Ramón Medrano Llamas'],
      ['15:40-16:20', 'Pembroke Room', 'Tier1 Metamorphoses', 'Nina Mushiana'],
      ['16:20-17:00', 'Lansdowne', 'Load Shedding—Approaches, Principles, Experiences, and Impact in Service Management', 'Acacio Cruz'],
      ['16:20-17:00', 'Pembroke Room', 'Panel: Brownfield SRE', ''],
      ['17:30-19:00', '~Herbert', 'Conference Reception, Sponsored by Google', ''],
      ['20:00-21:00', 'Ulster', 'Open Source Distributed Load Balancing', 'Stefan Safar'],
    ]);
  });

  it('keeps companies, the track, the abstract and the session page', () => {
    const monday = day(srecon(), '2016-07-11');
    const keynote = monday[1]!;
    expect(keynote.track).toBe('Plenary');
    expect(keynote.abstract).toMatch(/^The principles and constructs of DevOps/);
    expect(keynote.links[0]!.url).toMatch(/^https:\/\/srecon16europe\.sched\.com\/event\//);
    expect(monday.find((s) => s.title === 'Staring into the eBPF Abyss')!.speakers).toEqual([{ name: 'Sasha Goldshtein', company: 'CTO, Sela Group' }]);
    expect(monday.at(-1)!.speakers).toEqual([{ name: 'Stefan Safar', company: 'Seznam.cz' }]);
  });

  it('Tuesday, July 12 and Wednesday, July 13: the seed\'s sessions, rooms and multi-speaker workshops', () => {
    const e = srecon();
    const tuesday = day(e, '2016-07-12');
    const wednesday = day(e, '2016-07-13');
    expect([tuesday.length, wednesday.length]).toEqual([28, 24]);
    expect([...new Set(tuesday.map((s) => s.room))].sort()).toEqual(['Lansdowne', 'Munster', 'Pembroke Room', 'Pre-Function Area', 'TBA', 'Ulster', '~Herbert']);
    expect(row(tuesday.find((s) => s.title === 'Lightning Talks')!)).toEqual([
      '13:40-15:00', 'Pembroke Room', 'Lightning Talks', 'Arianna Aondio, Nati Cohen, Fran Garcia, effie mouzeli, David Rothera, Emil Stolarsky, Jimmy Tang',
    ]);
    expect(row(tuesday.find((s) => s.title === 'Accident Models in Post Mortems')!)).toEqual(['09:00-10:20', 'Munster', 'Accident Models in Post Mortems', 'Will Gallego, Miriam Lauter']);
    expect(row(tuesday.at(-1)!)).toEqual(['19:00-22:00', 'TBA', 'Tuesday BoFs', '']);
    expect(row(wednesday.find((s) => s.title === 'Docker From Scratch')!)).toEqual(['09:00-14:40', 'Ulster', 'Docker From Scratch', 'Nati Cohen, Avishai Ish-Shalom']);
    expect(row(wednesday.at(-1)!)).toEqual(['16:20-17:00', 'Lansdowne+Pembroke', 'Government Needs SRE', 'Mikey Dickerson']);
  });

  it('keeps session ids from the UIDs, so a re-import gives the same ids', () => {
    const a = srecon().sessions!.map((s) => s.id);
    expect(new Set(a).size).toBe(73);
    expect(srecon().sessions!.map((s) => s.id)).toEqual(a);
  });
});
