import type { MeetupEvent } from '../../src/catalogue/event';
import { importSchedIcs } from '../../src/sources/importers/sched';
import { context, fixture } from '../sources/importers/context';
import { celonis, makeWorld, pastEvents, type World } from './world';

/** SREcon EMEA 2016 as the Sched importer reads the fixture built from the seed. */
export function srecon2016(): MeetupEvent {
  return importSchedIcs(fixture('sched-srecon16europe.ics'), context({ name: 'srecon-emea-2016', kind: 'sched', title: 'SREcon16 Europe', venue: 'Conrad Dublin' }, '2016-06-01T12:00'))[0]!;
}

/** The command-test world with the conference beside the meetups; by default during its second morning. */
export const programmeWorld = (now = '2016-07-12T11:10'): World => makeWorld({ events: [...pastEvents(), celonis(), srecon2016()], now });
