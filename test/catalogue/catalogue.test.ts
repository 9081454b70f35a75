import { Catalogue, editDistance } from '../../src/catalogue/catalogue';
import { berlin, makeEvent } from '../helpers/events';

const winter = makeEvent({ id: 'sre-munich-winter-event-2024', title: 'SRE+Grafana Munich at nordcloud 2024', venue: 'Nordcloud', start: berlin('2024-02-07T18:30'), end: berlin('2024-02-07T21:30') });
const summer = makeEvent({ id: 'sre-munich-summer-event-2024', title: 'SRE Munich at Celonis 2024', venue: 'Celonis' });
const wiesn = makeEvent({ id: 'sre-munich-wiesn-event-2024', title: 'SRE Munich at nordcloud 2024', venue: 'Nordcloud', start: berlin('2024-09-24T18:00'), end: berlin('2024-09-24T21:30') });
const cancelled = makeEvent({ id: 'sre-munich-cancelled-2024', title: 'SRE Munich at Nowhere', venue: 'Nowhere', start: berlin('2024-08-20T18:30'), end: berlin('2024-08-20T21:00'), status: 'cancelled', talks: [] });
// Given out of order: the catalogue sorts by start.
const catalogue = new Catalogue([wiesn, cancelled, winter, summer]);

describe('Catalogue', () => {
  it('keeps events sorted by start and finds them by id', () => {
    expect(catalogue.events.map((e) => e.id)).toEqual([winter.id, summer.id, cancelled.id, wiesn.id]);
    expect(catalogue.byId(summer.id)).toBe(summer);
    expect(catalogue.byId('nope')).toBeUndefined();
  });

  it('next is the first meetup not over yet, in progress included, cancelled skipped', () => {
    expect(catalogue.next(berlin('2024-07-10T20:00'))?.id).toBe(summer.id);
    expect(catalogue.next(berlin('2024-07-10T21:00'))?.id).toBe(wiesn.id);
    expect(catalogue.upcoming(berlin('2024-07-11T00:00')).map((e) => e.id)).toEqual([wiesn.id]);
    expect(catalogue.next(berlin('2024-10-01T00:00'))).toBeUndefined();
  });

  it('past is most recent first; last skips cancelled meetups', () => {
    const now = berlin('2024-09-01T12:00');
    expect(catalogue.past(now).map((e) => e.id)).toEqual([cancelled.id, summer.id, winter.id]);
    expect(catalogue.last(now)?.id).toBe(summer.id);
  });

  it('finds by what members type: next, last, a month, a day, words from title, venue or speakers', () => {
    const now = berlin('2024-07-01T12:00');
    expect(catalogue.find('', now).event?.id).toBe(summer.id);
    expect(catalogue.find('last', now).event?.id).toBe(winter.id);
    expect(catalogue.find('2024-09', now).event?.id).toBe(wiesn.id);
    expect(catalogue.find('2024-02-07', now).event?.id).toBe(winter.id);
    expect(catalogue.find('Celonis', now).event?.id).toBe(summer.id);
    expect(catalogue.find('paul stack', now).event?.id).toBe(summer.id);
    // Two nordcloud meetups: the one nearest in time to now is meant.
    expect(catalogue.find('nordcloud', berlin('2024-09-01T12:00')).event?.id).toBe(wiesn.id);
    expect(catalogue.find('nordcloud', berlin('2024-03-01T12:00')).event?.id).toBe(winter.id);
  });

  it('suggests the nearest meetups for a month without one, and similar ids for a typo', () => {
    const now = berlin('2024-07-01T12:00');
    const month = catalogue.find('2024-06', now);
    expect(month.event).toBeUndefined();
    expect(month.suggestions[0]).toBe(summer.id);
    const typo = catalogue.find('celnois', now);
    expect(typo.event).toBeUndefined();
    expect(typo.suggestions).toEqual([summer.id]);
    expect(catalogue.find('kubernetes-operators-in-space', now).suggestions).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('celonis', 'celonis')).toBe(0);
    expect(editDistance('celnois', 'celonis')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
