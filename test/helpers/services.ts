import { DateTime } from 'luxon';
import { Catalogue } from '../../src/catalogue/catalogue';
import { CfpStore, type CfpLimits } from '../../src/cfp/submissions';
import type { CommandServices } from '../../src/commands/definition';
import { openDatabase, type Db } from '../../src/store/db';
import { RsvpService } from '../../src/rsvp/service';
import { createLogger } from '../../src/log';
import { Removals } from '../../src/sources/removals';
import { makeSettings } from './events';

/** Feed links as the bot builds them for http://127.0.0.1:8080. */
export const TEST_FEEDS: CommandServices['feeds'] = {
  calendar: 'http://127.0.0.1:8080/calendar.ics',
  webcal: 'webcal://127.0.0.1:8080/calendar.ics',
  google: 'https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A8080%2Fcalendar.ics',
  page: 'http://127.0.0.1:8080/',
  event: (id) => `http://127.0.0.1:8080/events/${id}.ics`,
  talks: (id) => `http://127.0.0.1:8080/talks.ics?event=${encodeURIComponent(id)}`,
};

function unwired(name: string): never {
  throw new Error(`${name} is not wired in this test: pass it to makeServices()`);
}

export interface TestServiceOptions {
  /** The database behind the real services (a fresh in-memory one by default). */
  db?: Db;
  cfpLimits?: Partial<CfpLimits>;
}

/**
 * Services for command tests, built from the real parts: the CfP store runs on an in-memory SQLite database
 * with the real schema, on the same clock as `now`. Announcements (helper E's scheduler) fail loudly when used
 * without being passed, so a test never passes by accident against a part it did not set up.
 */
export function makeServices(overrides: Partial<CommandServices> = {}, options: TestServiceOptions = {}): CommandServices {
  const now = overrides.now ?? (() => DateTime.now());
  const db = options.db ?? openDatabase(':memory:');
  return {
    catalogue: () => new Catalogue([]),
    settings: () => makeSettings(),
    now,
    feeds: TEST_FEEDS,
    cfp: overrides.cfp ?? new CfpStore(db, { now }, options.cfpLimits),
    rsvp: overrides.rsvp ?? new RsvpService({ db, now, notifyOrganizers: overrides.notifyOrganizers ?? (async () => undefined), log: createLogger('silent') }),
    announcements: new Proxy({} as CommandServices['announcements'], { get: () => () => unwired('announcements') }),
    notifyOrganizers: async () => undefined,
    removals: overrides.removals ?? new Removals({ now, log: createLogger('silent') }),
    ...overrides,
  };
}
