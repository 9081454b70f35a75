import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { Monotonic } from './lease';

/** Steps of the wall clock up to this much against the monotonic clock are taken as they come (NTP, drift). */
const TOLERANCE_MS = 2 * 60_000;
/** A step that lasts this long is believed: the clock was wrong before, not now. */
const ADOPT_AFTER_MS = 10 * 60_000;

/**
 * The scheduler's "now": the wall clock, checked against the monotonic clock. Posts are due at wall times, so the
 * wall clock decides, but a sudden step of it (an operator's typo, a broken NTP answer, a VM restored from a
 * snapshot) is not believed at once: until it has lasted ADOPT_AFTER_MS, time runs on from the last trusted
 * reading at the monotonic rate. A step ahead therefore posts nothing early, a step back blocks nothing; a
 * lasting correction is adopted after ten minutes. A process started during a step has nothing to compare with
 * and believes it.
 */
export class TrustedClock implements Clock {
  private last?: { wall: number; mono: number };
  private step?: { since: number; offset: number };

  constructor(
    private readonly wall: Clock,
    private readonly mono: Monotonic,
    private readonly onStep?: (offsetMs: number, adopted: boolean) => void,
  ) {}

  now(): DateTime {
    const wall = this.wall.now();
    const mono = this.mono();
    if (!this.last) {
      this.last = { wall: wall.toMillis(), mono };
      return wall;
    }
    const expected = this.last.wall + (mono - this.last.mono);
    const offset = wall.toMillis() - expected;
    if (Math.abs(offset) <= TOLERANCE_MS) {
      this.last = { wall: wall.toMillis(), mono };
      this.step = undefined;
      return wall;
    }
    if (!this.step || Math.abs(this.step.offset - offset) > TOLERANCE_MS) {
      this.step = { since: mono, offset };
      this.onStep?.(offset, false);
    }
    if (mono - this.step.since >= ADOPT_AFTER_MS) {
      this.onStep?.(offset, true);
      this.last = { wall: wall.toMillis(), mono };
      this.step = undefined;
      return wall;
    }
    return DateTime.fromMillis(expected, { zone: wall.zone });
  }
}
