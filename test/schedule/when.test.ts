import { parseWhen, splitWhen } from '../../src/schedule/when';
import { berlin, ZONE } from '../helpers/events';

// Thursday 26 November 2026, 15:20 in Berlin (CET, UTC+1).
const NOW = berlin('2026-11-26T15:20');
const at = (text: string) => parseWhen(text, NOW, ZONE)?.toISO();

describe('parseWhen', () => {
  it.each([
    ['2026-12-01 18:00', '2026-12-01T18:00:00.000+01:00'],
    ['2026-12-01T18:00', '2026-12-01T18:00:00.000+01:00'],
    ['2026-12-01 18:00:30', '2026-12-01T18:00:30.000+01:00'],
    ['2026-12-01T17:00Z', '2026-12-01T18:00:00.000+01:00'],
    ['2026-12-01T18:00+02:00', '2026-12-01T17:00:00.000+01:00'],
    ['1.12.2026 18:00', '2026-12-01T18:00:00.000+01:00'],
    ['in 2h', '2026-11-26T17:20:00.000+01:00'],
    ['in 90 minutes', '2026-11-26T16:50:00.000+01:00'],
    ['in 1 day 2 hours', '2026-11-27T17:20:00.000+01:00'],
    ['tomorrow 10:00', '2026-11-27T10:00:00.000+01:00'],
    ['Tomorrow at 9:05', '2026-11-27T09:05:00.000+01:00'],
    ['tonight 7pm', '2026-11-26T19:00:00.000+01:00'],
    ['today 6:30 pm', '2026-11-26T18:30:00.000+01:00'],
    ['18:00', '2026-11-26T18:00:00.000+01:00'],
    // A weekday is the next one; today's only while its time is still ahead.
    ['friday 18:30', '2026-11-27T18:30:00.000+01:00'],
    ['thu 16:00', '2026-11-26T16:00:00.000+01:00'],
    ['thursday 15:00', '2026-12-03T15:00:00.000+01:00'],
    ['mon 12am', '2026-11-30T00:00:00.000+01:00'],
  ])('%s', (text, expected) => expect(at(text)).toBe(expected));

  it.each(['', 'soon', 'tomorrow', '2026-12-01', '25:00', 'in 0h', 'in a while', '2026-02-30 10:00', 'tomorrow 13pm', 'next week 10:00'])('cannot read %p', (text) => {
    expect(at(text)).toBeUndefined();
  });

  it('keeps wall time across the autumn DST switch and refuses the hour skipped in spring', () => {
    const beforeAutumn = berlin('2026-10-24T12:00');
    expect(parseWhen('tomorrow 10:00', beforeAutumn, ZONE)?.toISO()).toBe('2026-10-25T10:00:00.000+01:00');
    expect(parseWhen('in 1d', beforeAutumn, ZONE)?.toISO()).toBe('2026-10-25T12:00:00.000+01:00');
    expect(parseWhen('2027-03-28 02:30', NOW, ZONE)).toBeUndefined();
    expect(parseWhen('2027-03-28 03:30', NOW, ZONE)?.toISO()).toBe('2027-03-28T03:30:00.000+02:00');
  });
});

describe('splitWhen', () => {
  it.each([
    ['tomorrow 10:00 Doors open at 18:30!', 'tomorrow 10:00', 'Doors open at 18:30!'],
    ['2026-12-01 18:00 next', '2026-12-01 18:00', 'next'],
    ['"2026-12-01 18:00" Hello there', '2026-12-01 18:00', 'Hello there'],
    ['“tomorrow 10:00” Hi', 'tomorrow 10:00', 'Hi'],
    ['2026-12-01T18:00 Hello', '2026-12-01T18:00', 'Hello'],
    ['in 2 hours 30 minutes Pizza is here', 'in 2 hours 30 minutes', 'Pizza is here'],
    ['18:00 Talks start soon', '18:00', 'Talks start soon'],
    ['in 2h', 'in 2h', ''],
  ])('%s', (text, when, rest) => expect(splitWhen(text, NOW, ZONE)).toEqual({ when, rest }));

  it('keeps the line breaks of the text', () => {
    expect(splitWhen('tomorrow 10:00 Line one\nLine two', NOW, ZONE)).toEqual({ when: 'tomorrow 10:00', rest: 'Line one\nLine two' });
  });

  it.each(['Hello 18:00', '"someday" text', 'tomorrow Hello'])('finds no time at the start of %p', (text) => {
    expect(splitWhen(text, NOW, ZONE)).toBeUndefined();
  });
});
