import type { MeetupEvent } from '../catalogue/event';
import { bold, message, time, type MessageModel, type RichText } from '../chat/message';
import type { Removal } from './removals';

/** The button on the notice; commands/removals.ts answers it (organizers only, like the command). */
export const confirmRemovalButtonId = (eventId: string): string => `removals:confirm:${eventId}`;

/**
 * One request per held removal: the post is gone, the meetup is still served, and what confirming does.
 * Keyed by the event and when it was removed, so each removal is asked about once (the outbox keeps the key).
 */
export function removalNotices(pending: readonly Removal[]): { key: string; message: MessageModel }[] {
  return pending.map((removal) => ({
    key: `removal:${removal.id}:${removal.removedAt.toMillis()}`,
    message: message({
      title: `Post removed: ${removal.event.title}`,
      intro: [
        { kind: 'code', text: removal.file },
        ' was deleted from the source, but ',
        bold(removal.event.title),
        ' (',
        ...when(removal.event),
        ') is upcoming. It stays in the calendar and in chat as it was until you confirm.',
      ],
      sections: [
        { heading: 'Confirm', body: ['Cancels the meetup: the feeds mark it cancelled, the posts announcing it are edited to say so and a cancellation is posted where it was announced.'] },
        { heading: 'Keep it', body: ['Restore the file (revert the commit): the meetup is back as it was and nothing is posted.'] },
      ],
      buttons: [{ id: confirmRemovalButtonId(removal.id), label: 'Confirm: cancel the meetup', style: 'danger' }],
      footer: ['Or type /removals confirm ', removal.id],
    }),
  }));
}

export function removalLine(removal: Removal): RichText {
  const state = removal.state === 'pending' ? 'waiting for confirmation' : `cancelled, confirmed by ${removal.confirmedBy ?? 'an organizer'}`;
  return [bold(removal.event.title), ' · ', ...when(removal.event), ' · ', { kind: 'code', text: removal.id }, ` · ${state} · was `, { kind: 'code', text: removal.file }];
}

function when(event: MeetupEvent): RichText {
  return event.dateToBeConfirmed ? ['date to be confirmed'] : [time(event.start, 'full')];
}
