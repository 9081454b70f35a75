import { importIcsCalendar } from '../../../src/sources/importers/calendar';
import { ImportError } from '../../../src/sources/importers/event';
import { readIcs } from '../../../src/sources/importers/ics';
import { berlin } from '../../helpers/events';
import { context, fixture } from './context';

const summary = (e: { id: string; start: { toISO(): string | null; toUTC(): { toISO(): string | null } }; status: string; title: string }) => [e.id, e.start.toISO(), e.start.toUTC().toISO(), e.status, e.title];

describe('ICS calendars: a Meetup.com group feed', () => {
  const events = () => importIcsCalendar(fixture('meetup-com-sre-munich.ics'), context({ name: 'meetup' }));

  it('gives one event per VEVENT, with ids from the UIDs, the venue and address from LOCATION and the event page', () => {
    const [autumn, online, winter] = events();
    expect(events().map(summary)).toEqual([
      ['meetup-event-307123456', '2026-10-20T18:30:00.000+02:00', '2026-10-20T16:30:00.000Z', 'scheduled', 'SRE Munich Autumn Meetup at Celonis'],
      ['meetup-event-307123999', '2026-11-03T19:00:00.000+01:00', '2026-11-03T18:00:00.000Z', 'scheduled', 'SRE Munich Online: Incident Review Club'],
      ['meetup-event-307124444', '2026-12-08T18:30:00.000+01:00', '2026-12-08T17:30:00.000Z', 'cancelled', 'SRE Munich Winter Meetup'],
    ]);
    expect(autumn).toMatchObject({ venue: 'Celonis', address: 'Theresienstraße 6, München, de', url: 'https://www.meetup.com/sre-munich/events/307123456/', announce: false, dateSource: 'import' });
    expect(autumn!.end.toISO()).toBe('2026-10-20T21:30:00.000+02:00');
    expect(autumn!.summary).toBe('SRE Munich\nTuesday, October 20 at 6:30 PM');
    expect(autumn!.source).toEqual({ file: 'sources.yml#meetup', uid: 'event_307123456@meetup.com', url: 'https://example.org/calendar.ics' });
    expect(online).toMatchObject({ online: 'https://meet.example.org/sre-munich', venue: undefined });
    expect(winter!.status).toBe('cancelled');
  });

  it('announces only when the source opts in', () => {
    expect(importIcsCalendar(fixture('meetup-com-sre-munich.ics'), context({ name: 'meetup', announce: true })).every((e) => e.announce === true)).toBe(true);
  });

  it('says what is wrong with a body that is not a calendar', () => {
    expect(() => importIcsCalendar('<html><body>Not found</body></html>', context())).toThrow(ImportError);
    expect(() => importIcsCalendar('<html><body>Not found</body></html>', context())).toThrow(/not an iCalendar file/);
  });
});

describe('ICS calendars: a recurring Google Calendar event across the October DST change', () => {
  const events = () => importIcsCalendar(fixture('google-reading-group.ics'), context({ name: 'reading' }));

  it('expands the RRULE in the calendar zone: 19:00 stays 19:00 Berlin time before and after 25 October', () => {
    expect(events().map(summary)).toEqual([
      ['reading-4lq1t8bq0m2dq1e0k7s3h3g5sd-2026-10-13t1900', '2026-10-13T19:00:00.000+02:00', '2026-10-13T17:00:00.000Z', 'scheduled', 'SRE book reading group'],
      ['reading-4lq1t8bq0m2dq1e0k7s3h3g5sd-2026-10-20t1900', '2026-10-20T19:00:00.000+02:00', '2026-10-20T17:00:00.000Z', 'scheduled', 'SRE book reading group'],
      // The overridden instance (RECURRENCE-ID) keeps the id of the slot it replaces, at its new time, after the switch.
      ['reading-4lq1t8bq0m2dq1e0k7s3h3g5sd-2026-10-27t1900', '2026-10-27T20:00:00.000+01:00', '2026-10-27T19:00:00.000Z', 'scheduled', 'SRE book reading group (later start)'],
      // 3 November is an EXDATE; 10 November is overridden as CANCELLED.
      ['reading-4lq1t8bq0m2dq1e0k7s3h3g5sd-2026-11-10t1900', '2026-11-10T19:00:00.000+01:00', '2026-11-10T18:00:00.000Z', 'cancelled', 'SRE book reading group'],
      ['reading-4lq1t8bq0m2dq1e0k7s3h3g5sd-2026-11-17t1900', '2026-11-17T19:00:00.000+01:00', '2026-11-17T18:00:00.000Z', 'scheduled', 'SRE book reading group'],
    ]);
    expect(events()[2]!.end.toISO()).toBe('2026-10-27T21:30:00.000+01:00');
    expect(events()[0]!.source.uid).toBe('4lq1t8bq0m2dq1e0k7s3h3g5sd@google.com#2026-10-13T19:00:00');
  });

  it('a series without an end is expanded only a year or so ahead of now', () => {
    const text = fixture('google-reading-group.ics').replace('RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU', 'RRULE:FREQ=WEEKLY;BYDAY=TU');
    const all = importIcsCalendar(text, context({ name: 'reading' }));
    expect(all.length).toBeGreaterThan(50);
    expect(all.at(-1)!.start < berlin('2027-11-10T00:00')).toBe(true);
  });

  it('places a TZID that is not an IANA name (Outlook) with the calendar\'s own VTIMEZONE', () => {
    const text = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
      'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16011028T030000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010325T020000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT', 'UID:outlook-1', 'DTSTAMP:20261001T000000Z', 'SUMMARY:Summer', 'DTSTART;TZID="W. Europe Standard Time":20260707T183000', 'DTEND;TZID="W. Europe Standard Time":20260707T200000', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:outlook-2', 'DTSTAMP:20261001T000000Z', 'SUMMARY:Winter', 'DTSTART;TZID="W. Europe Standard Time":20261208T183000', 'DTEND;TZID="W. Europe Standard Time":20261208T200000', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    const read = readIcs(text, { zone: 'Europe/Berlin', from: berlin('2026-01-01T00:00'), to: berlin('2027-01-01T00:00') });
    expect(read.occurrences.map((o) => o.start.toUTC().toISO())).toEqual(['2026-07-07T16:30:00.000Z', '2026-12-08T17:30:00.000Z']);
  });
});
