import type { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import { message, type MessageModel } from '../chat/message';
import { isUndatedHistory } from '../catalogue/undated';

/**
 * One notice per post that gives no meetup date (only its publication date): which file needs `eventDate:`.
 * Keyed by event id, so the outbox delivers each once however often the data is reloaded.
 */
export function dateToConfirmNotices(events: readonly MeetupEvent[], now: DateTime): { key: string; message: MessageModel }[] {
  return events
    .filter((e) => e.dateToBeConfirmed && e.status !== 'cancelled' && !isUndatedHistory(e, now))
    .map((e) => ({
      key: `date-to-be-confirmed:${e.id}`,
      message: message({
        title: `No meetup date: ${e.title}`,
        intro: [
          { kind: 'code', text: e.source.file },
          ' gives only its publication date, so the meetup shows as "date to be confirmed" and is not announced, reminded or put in Discord\'s events. Add ',
          { kind: 'code', text: 'eventDate: YYYY-MM-DD' },
          ' (and ',
          { kind: 'code', text: 'start: "18:30"' },
          ') to its front matter.',
        ],
      }),
    }));
}
