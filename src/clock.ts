import { DateTime } from 'luxon';

/** Where "now" comes from. Injected everywhere so tests can run a week of schedule in milliseconds. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.now() };
