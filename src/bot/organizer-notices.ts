import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Destination, OrganizerNotifier } from '../chat/adapter';
import type { MessageModel } from '../chat/message';
import type { Outbox } from '../schedule/outbox';

export interface OrganizerNotices {
  /** Queues reports, each once per key, for every organizers' channel. */
  tell(reports: { key: string; message: MessageModel }[]): Promise<void>;
  /** One report with a natural key of its own (the outbox keeps it, so it is told once). */
  report(key: string, message: MessageModel): Promise<void>;
  /** A notice without a natural key: one of a kind. */
  notify: OrganizerNotifier;
}

/**
 * Everything the organizers are told goes through the outbox, like every post: one platform being down keeps
 * neither the others from hearing nor the message from arriving once it is back, and a key reaches each
 * organizers' channel once (the scheduler retries for a week, then logs it). `deliverNow` asks the scheduler for
 * a pass that sees the new rows; before the scheduler exists, the rows wait for its first tick.
 */
export function organizerNotices(parts: { outbox: Outbox; organizers: Destination[]; clock: Clock; log: Logger; deliverNow: () => Promise<unknown> | undefined }): OrganizerNotices {
  const { outbox, organizers, clock, log } = parts;
  const tell = async (reports: { key: string; message: MessageModel }[]) => {
    const at = clock.now();
    const added = await outbox.enqueue(
      reports.flatMap(({ key, message }) =>
        organizers.map((to) => ({ key, to, message, label: message.title ? `notice: ${message.title}` : key, worthUntil: at.plus({ days: 7 }) })),
      ),
      at,
    );
    if (added.length > 0) await parts.deliverNow()?.catch((err: unknown) => log.error({ err }, 'scheduler tick after a notice failed'));
  };
  const report = async (key: string, message: MessageModel) => tell([{ key, message }]);
  const notify: OrganizerNotifier = (message) => report(`notice:${clock.now().toMillis()}:${randomUUID().slice(0, 8)}`, message);
  return { tell, report, notify };
}
