import type { DateTime } from 'luxon';
import type { MeetupEvent } from './event';

/** A post older than this with no meetup date is history, not a meetup waiting for its date. */
export const UNDATED_RECENT_DAYS = 90;

/**
 * A post without a meetup date (only its publication date) that was published more than UNDATED_RECENT_DAYS
 * ago: the meetup took place long since, on a day the post does not say. Chat shows when it was posted instead
 * of "to be confirmed"; a recent one is still waiting for its date (and is never announced either way).
 */
export function isUndatedHistory(event: MeetupEvent, now: DateTime): boolean {
  if (!event.dateToBeConfirmed) return false;
  // Plain milliseconds: an hour either way at a DST switch does not matter at 90 days.
  return (event.source.publishedAt ?? event.start).toMillis() < now.toMillis() - UNDATED_RECENT_DAYS * 86_400_000;
}
