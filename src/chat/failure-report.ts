import type { Logger } from '../log';
import type { Caller, CommandServices } from '../commands/definition';
import { bold, code, message, type MessageModel } from './message';

/** What a member sees when a command broke; the organizers get the details. */
export const SOMETHING_WENT_WRONG = 'Something went wrong; the organizers have been told.';
export const SOMETHING_WENT_WRONG_ANSWER = message({ intro: [SOMETHING_WENT_WRONG], ephemeral: true });

/**
 * The dispatcher answers every failure itself; this is an adapter's last line, so the member never waits in
 * silence. `platform` names the adapter in the log.
 */
export function answerFailures<T>(work: Promise<T>, log: Logger, platform: string, what: string): Promise<T | { message: MessageModel }> {
  return work.catch((error: unknown) => {
    log.error({ err: error, what }, `${platform} interaction failed`);
    return { message: SOMETHING_WENT_WRONG_ANSWER };
  });
}

/** Tells the organizers that something broke, without the stack (that is in the log) or the user's full input. */
export async function reportFailure(services: CommandServices, log: Logger, caller: Caller, what: string, error: unknown): Promise<void> {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const report = message({
    title: 'A command failed',
    intro: ['Someone got "', SOMETHING_WENT_WRONG, '" The details are in the bot’s log.'],
    fields: [
      { name: 'Command', value: [code(what.slice(0, 200))] },
      { name: 'Who', value: [bold(caller.name), ` on ${caller.platform}`] },
      { name: 'Error', value: [code(reason.slice(0, 500))] },
    ],
  });
  try {
    await services.notifyOrganizers(report);
  } catch (notifyError) {
    log.error({ err: notifyError }, 'could not tell the organizers about a failed command');
  }
}
