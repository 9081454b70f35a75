import { DateTime } from 'luxon';
import type { Clock } from '../../src/clock';

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  private current: DateTime;

  constructor(start: DateTime | string) {
    this.current = typeof start === 'string' ? DateTime.fromISO(start, { setZone: true }) : start;
    if (!this.current.isValid) throw new Error(`ManualClock: invalid start ${String(start)}`);
  }

  now(): DateTime {
    return this.current;
  }

  set(to: DateTime | string): void {
    this.current = typeof to === 'string' ? DateTime.fromISO(to, { setZone: true }) : to;
  }

  advance(duration: { minutes?: number; hours?: number; days?: number; seconds?: number; milliseconds?: number }): DateTime {
    this.current = this.current.plus(duration);
    return this.current;
  }
}
