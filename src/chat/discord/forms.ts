import { randomBytes } from 'node:crypto';
import { bold, message, type MessageModel, type ModalModel } from '../message';

/** Buttons the adapter answers itself; "~" cannot start a command name, so no command id collides. */
export const REOPEN_FORM_PREFIX = '~form:';
const FORM_MEMORY_MS = 15 * 60_000;
const MEMORY_MAX = 500;

interface PendingForm {
  modal: ModalModel;
  values: Record<string, string>;
  userId: string;
  expiresAt: number;
}

/**
 * What Discord's modals cannot do themselves: show a form again with what the member typed, and open a form
 * that was ready only after the first answer. Both become a button ("~form:<token>") that reopens the form
 * for the same member within 15 minutes.
 */
export class FormMemory {
  /** Forms shown, by modal id: a submission with problems can be reopened with what the user typed. */
  private readonly shown = new Map<string, ModalModel>();
  private readonly pending = new Map<string, PendingForm>();

  /** Remembers a form as it opens, so its submission can be reopened. */
  shownNow(modal: ModalModel): void {
    this.shown.set(modal.id, modal);
  }

  /**
   * Discord modals cannot show errors next to the inputs: list the problems privately, with a button that
   * opens the form again holding what the user typed, so nothing has to be typed twice.
   */
  problems(modalId: string, errors: Record<string, string>, values: Record<string, string>, userId: string): MessageModel {
    const modal = this.shown.get(modalId);
    const problems = Object.values(errors).map((e) => `• ${e}`).join('\n');
    const problemMessage = message({ intro: [bold('Please check the form:'), `\n${problems}`], ephemeral: true });
    if (!modal) return problemMessage;
    const token = this.keep({ modal, values, userId });
    return { ...problemMessage, buttons: [{ id: `${REOPEN_FORM_PREFIX}${token}`, label: 'Edit and resubmit', style: 'primary' }] };
  }

  /**
   * A form can open only as the first answer to a command or button. One that was ready only after the deferral
   * (or follows a form) is offered as a button that opens it.
   */
  offer(modal: ModalModel, userId: string): MessageModel {
    this.shownNow(modal);
    const token = this.keep({ modal, values: {}, userId });
    return message({ intro: ['The form is ready.'], buttons: [{ id: `${REOPEN_FORM_PREFIX}${token}`, label: `Open: ${modal.title}`, style: 'primary' }], ephemeral: true });
  }

  /** The form behind a reopen button, when it is still kept and the same member pressed it. */
  reopen(customId: string, userId: string): { modal: ModalModel; values: Record<string, string> } | undefined {
    const form = this.pending.get(customId.slice(REOPEN_FORM_PREFIX.length));
    if (!form || form.expiresAt < Date.now() || form.userId !== userId) return undefined;
    return form;
  }

  private keep(form: Omit<PendingForm, 'expiresAt'>): string {
    this.forgetExpired();
    const token = randomBytes(9).toString('base64url');
    this.pending.set(token, { ...form, expiresAt: Date.now() + FORM_MEMORY_MS });
    return token;
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [token, form] of this.pending) if (form.expiresAt < now) this.pending.delete(token);
    while (this.pending.size >= MEMORY_MAX) this.pending.delete(this.pending.keys().next().value!);
  }
}
