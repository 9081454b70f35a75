import { DateTime } from 'luxon';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { CommandServices } from '../../src/commands/definition';
import { makeSettings } from './events';

/** Feed links as the bot builds them for http://127.0.0.1:8080. */
export const TEST_FEEDS: CommandServices['feeds'] = {
  calendar: 'http://127.0.0.1:8080/calendar.ics',
  webcal: 'webcal://127.0.0.1:8080/calendar.ics',
  google: 'https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A8080%2Fcalendar.ics',
  page: 'http://127.0.0.1:8080/',
  event: (id) => `http://127.0.0.1:8080/events/${id}.ics`,
};

function unwired(name: string): never {
  throw new Error(`${name} is not wired in this test: pass it to makeServices()`);
}

/**
 * Services for command tests. Parts a test does not pass fail loudly when used, so a test never passes by
 * accident against a part it did not set up.
 */
export function makeServices(overrides: Partial<CommandServices> = {}): CommandServices {
  return {
    catalogue: () => new Catalogue([]),
    settings: () => makeSettings(),
    now: () => DateTime.now(),
    feeds: TEST_FEEDS,
    cfp: { submit: () => unwired('cfp'), list: () => unwired('cfp') },
    announcements: new Proxy({} as CommandServices['announcements'], { get: () => () => unwired('announcements') }),
    notifyOrganizers: async () => undefined,
    ...overrides,
  };
}
