import type { MeetupEvent } from '../catalogue/event';
import type { Attachment } from '../chat/message';
import { STATUS_NAMES } from './present';
import type { Rsvp } from './rsvp';
import { csvStringify } from '../lazy-modules';

/**
 * The host's guest list as CSV (csv-stringify: RFC 4180 quoting, so names with commas, quotes or line breaks
 * stay one cell). A cell starting with = + - @ is prefixed with ' so a spreadsheet shows it instead of running it.
 */
export function guestListCsv(event: Pick<MeetupEvent, 'id' | 'rsvp'>, guests: Rsvp[]): Attachment {
  let position = 0;
  const rows = guests.map((r) => [
    STATUS_NAMES[r.status],
    r.status === 'waitlist' ? String(++position) : '',
    r.realName ?? '',
    r.displayName,
    r.platform,
    r.userId,
    r.answer ?? '',
    r.updatedAt,
  ]);
  const header = ['status', 'waitlist_position', 'real_name', 'chat_name', 'platform', 'user_id', event.rsvp?.question ?? 'answer', 'answered_at'];
  const content = csvStringify().stringify([header, ...rows].map((row) => row.map(defuse)), { record_delimiter: 'windows' });
  return { name: `rsvp-${event.id}.csv`, content, mimeType: 'text/csv' };
}

function defuse(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
