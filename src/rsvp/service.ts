import type { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import type { OrganizerNotifier } from '../chat/adapter';
import { message } from '../chat/message';
import type { Caller } from '../commands/definition';
import { ArgumentError } from '../commands/definition';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import { DirectNotices } from './notices';
import { RsvpStore } from './store';
import type { AnswerResult, Counts, EventSeats, Rsvp } from './rsvp';

export const REAL_NAME_MAX = 100;
export const ANSWER_MAX = 300;

/** Discord members who pressed "Interested" on the meetup's native Scheduled Event. */
export interface Interested {
  count: number;
  /** How many of them also answered Going here. */
  alsoGoing: number;
}

export interface RsvpServiceOptions {
  db: Db;
  now: () => DateTime;
  notifyOrganizers: OrganizerNotifier;
  log: Logger;
  /** Something changed for a meetup: the counts on its announcement are due for an edit. */
  onChange?: (eventId: string) => void;
  /** Direct messages were queued in the outbox: the scheduler can send them now rather than next minute. */
  onQueued?: () => void;
  /** Reads Discord's "Interested" list for a meetup (undefined when there is no synced Scheduled Event). */
  interested?: (eventId: string) => Promise<string[] | undefined>;
  retentionDays?: number;
  /** Whose meetups these are: its direct messages are its outbox rows (default: the single community). */
  community?: string;
}

export type Choice = 'going' | 'declined';

/**
 * RSVPs as members and organizers use them, platform-neutral: the rules (deadline, start, real name), the
 * seats (src/rsvp/store.ts), the promotion messages (through the outbox) and the note to the organizers when
 * the last seat is taken. Commands call it; it never talks to a chat platform itself.
 */
export class RsvpService {
  readonly store: RsvpStore;
  private readonly notices: DirectNotices;

  constructor(private readonly options: RsvpServiceOptions) {
    this.store = new RsvpStore(options.db);
    this.notices = new DirectNotices(options.db, options.community);
  }

  get retentionDays(): number {
    return this.options.retentionDays ?? 30;
  }

  /** Why a member cannot answer now, or undefined when they can. Cancelling stays possible after the deadline. */
  async closedReason(event: MeetupEvent, choice: Choice, caller: Caller): Promise<string | undefined> {
    const now = this.options.now();
    if (!event.rsvp) return `${event.title} does not take RSVPs in chat.${event.url ? ` See ${event.url}.` : ''}`;
    if (event.status === 'cancelled') return `${event.title} is cancelled.`;
    if (event.dateToBeConfirmed) return `The date of ${event.title} is not confirmed yet; RSVPs open when it is.`;
    if (event.start <= now) return `${event.title} has started; answers can no longer be changed.`;
    const existing = await this.store.entry(event.id, caller.platform, caller.id);
    const joining = choice === 'going' && (!existing || existing.status === 'declined');
    if (joining && event.rsvp.deadline && event.rsvp.deadline <= now) return `Registration for ${event.title} closed on ${event.rsvp.deadline.toFormat('ccc d LLL, HH:mm')}.`;
    return undefined;
  }

  /** What the RSVP form must ask before this member can be registered as going (empty: no form needed). */
  async missing(event: MeetupEvent, caller: Caller): Promise<{ realName: boolean; question: boolean }> {
    const member = await this.store.member(caller.platform, caller.id);
    const entry = await this.store.entry(event.id, caller.platform, caller.id);
    return { realName: event.rsvp?.realName === true && !member?.realName, question: event.rsvp?.question !== undefined && entry?.answer === undefined };
  }

  async respond(event: MeetupEvent, caller: Caller, choice: Choice, extras: { realName?: string; answer?: string } = {}): Promise<AnswerResult> {
    const closed = await this.closedReason(event, choice, caller);
    if (closed) throw new ArgumentError(closed);
    const now = this.options.now();
    if (extras.realName !== undefined) await this.setRealName(caller, extras.realName);
    const answer = extras.answer === undefined ? undefined : cleanText(extras.answer, ANSWER_MAX, 'answer');
    if (choice === 'going' && (await this.missing(event, caller)).realName) throw new ArgumentError('This meetup needs your real name for the guest list: press Going again to fill it in.');
    let queued = 0;
    const result = await this.store.answer(seatsOf(event), { platform: caller.platform, userId: caller.id, name: caller.name }, choice, answer, now, async (r, tx) => {
      if (!r.quiet && (await this.notices.promoted(event, r, now, tx))) queued++;
    });
    this.after(event, result, queued);
    return result;
  }

  /** The host added seats (or a reload changed capacity): move the waitlist up. */
  async refill(event: MeetupEvent): Promise<void> {
    if (!event.rsvp || event.start <= this.options.now()) return;
    const now = this.options.now();
    let queued = 0;
    const result = await this.store.fill(seatsOf(event), now, async (r, tx) => {
      if (!r.quiet && (await this.notices.promoted(event, r, now, tx))) queued++;
    });
    if (result.promoted.length > 0 || result.becameFull) this.after(event, { ...result, status: 'going', counts: await this.store.counts(event.id) }, queued);
  }

  setRealName(caller: Caller, realName: string): Promise<void> {
    return this.store.setRealName(caller.platform, caller.id, cleanText(realName, REAL_NAME_MAX, 'realName'), this.options.now());
  }

  setReminders(caller: Caller, on: boolean): Promise<void> {
    return this.store.setReminders(caller.platform, caller.id, on, this.options.now());
  }

  /** Queues the day-before reminder for everyone going who turned reminders on; returns how many were new. */
  async remind(event: MeetupEvent): Promise<number> {
    const now = this.options.now();
    let queued = 0;
    for (const r of await this.store.guests(event.id)) if (r.status === 'going' && r.reminders && (await this.notices.reminder(event, r, now))) queued++;
    if (queued > 0) this.options.onQueued?.();
    return queued;
  }

  counts(eventId: string): Promise<Counts> {
    return this.store.counts(eventId);
  }

  async interested(event: MeetupEvent): Promise<Interested | undefined> {
    const ids = await this.options.interested?.(event.id);
    if (ids === undefined) return undefined;
    const going = new Set((await this.store.guests(event.id)).filter((r) => r.platform === 'discord' && r.status === 'going').map((r) => r.userId));
    return { count: ids.length, alsoGoing: ids.filter((id) => going.has(id)).length };
  }

  /** Everything the bot holds about one member. */
  async mine(caller: Caller): Promise<{ answers: Rsvp[]; realName?: string; reminders: boolean }> {
    const member = await this.store.member(caller.platform, caller.id);
    return { answers: await this.store.ofMember(caller.platform, caller.id), realName: member?.realName, reminders: member?.reminders ?? false };
  }

  /** Deletes a member's answers, profile and direct messages; seats they held go to the waitlist first. */
  async forget(caller: Caller, eventById: (id: string) => MeetupEvent | undefined): Promise<number> {
    const held = (await this.store.ofMember(caller.platform, caller.id)).filter((r) => r.status === 'going');
    const removed = (await this.store.forget(caller.platform, caller.id)) + (await this.notices.forget(caller.platform, caller.id));
    for (const r of held) {
      const event = eventById(r.eventId);
      if (event) await this.refill(event);
    }
    return removed;
  }

  /** Retention: RSVPs of meetups that ended more than `retentionDays` ago, and what only they kept. */
  async purge(): Promise<{ answers: number; members: number; messages: number }> {
    const before = this.options.now().minus({ days: this.retentionDays });
    const { answers, members } = await this.store.purge(before);
    return { answers, members, messages: await this.notices.purge(before) };
  }

  private after(event: MeetupEvent, result: AnswerResult, queued: number): void {
    if (queued > 0) this.options.onQueued?.();
    this.options.onChange?.(event.id);
    if (result.becameFull) void this.noteFull(event, result.counts);
  }

  private async noteFull(event: MeetupEvent, counts: Counts): Promise<void> {
    try {
      await this.options.notifyOrganizers(
        message({ title: `Full: ${event.title}`, intro: [`All ${event.rsvp?.capacity ?? counts.going} seats are taken. New RSVPs join the waitlist; /rsvp list ${event.id} shows the guests.`] }),
      );
    } catch (error) {
      this.options.log.error({ err: error, event: event.id }, 'could not tell the organizers a meetup is full');
    }
  }
}

export function seatsOf(event: MeetupEvent): EventSeats {
  return { id: event.id, end: event.end, capacity: event.rsvp?.capacity };
}

/** One line of plain text within a limit; the field id leads the message so forms show it at the field. */
function cleanText(text: string, max: number, field: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (field === 'realName' && clean.length < 2) throw new ArgumentError(`${field}: please give your name as on your ID.`);
  if (clean.length > max) throw new ArgumentError(`${field}: at most ${max} characters, got ${clean.length}.`);
  return clean;
}

