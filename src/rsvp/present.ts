import type { MeetupEvent } from '../catalogue/event';
import { bold, code, link, message, time, type Button, type Field, type MessageModel, type ModalModel, type RichText } from '../chat/message';
import { clip, linesToSections } from '../chat/present/fit';
import type { Interested } from './service';
import { ANSWER_MAX, REAL_NAME_MAX } from './service';
import type { Counts, Rsvp, RsvpStatus } from './rsvp';

/** Button and form ids: "<command>:<action>:<event id>" (src/chat/dispatch.ts routes them to commands/rsvp.ts). */
export const rsvpButton = (action: 'going' | 'no' | 'remind-on' | 'remind-off' | 'name' | 'export', eventId: string): string => `rsvp:${action}:${eventId}`;
export const COUNTS_FIELD = 'RSVP';

/** "23 going, 4 on the waitlist": what members see on the announcement and the subscribe page. */
export function countsText(counts: Counts, capacity?: number): string {
  const going = capacity !== undefined ? `${counts.going} of ${capacity} going` : `${counts.going} going`;
  return counts.waitlist > 0 ? `${going}, ${counts.waitlist} on the waitlist` : going;
}

/** The Going / Not going buttons under a meetup's agenda and announcement. */
export function rsvpButtons(event: MeetupEvent): Button[] {
  return [
    { id: rsvpButton('going', event.id), label: 'Going', style: 'primary' },
    { id: rsvpButton('no', event.id), label: 'Not going' },
  ];
}

/** An announcement with the current counts in its RSVP field (replacing an older one). */
export function withCounts(model: MessageModel, text: string): MessageModel {
  const fields = model.fields.filter((f) => f.name !== COUNTS_FIELD);
  return { ...model, fields: [...fields, { name: COUNTS_FIELD, value: [text], inline: true }] };
}

export function countsOf(model: MessageModel): string | undefined {
  const field = model.fields.find((f) => f.name === COUNTS_FIELD);
  return field ? field.value.map((s) => (typeof s === 'string' ? s : '')).join('') : undefined;
}

/** The member's own answer, privately: where they stand and what they can do next. */
export function presentAnswer(event: MeetupEvent, entry: Pick<Rsvp, 'status' | 'answer'> | undefined, extra: { position?: number; reminders: boolean; realName?: string; counts: Counts }): MessageModel {
  const what = event.url ? link(event.url, event.title) : bold(event.title);
  const buttons: Button[] = [];
  let intro: RichText;
  switch (entry?.status) {
    case 'going':
      intro = ['You are going to ', what, ', ', time(event.start, 'full'), '. See you there!'];
      buttons.push({ id: rsvpButton('no', event.id), label: 'Not going', style: 'danger' });
      break;
    case 'waitlist':
      intro = ['All seats for ', what, ' are taken: you are number ', bold(String(extra.position ?? '?')), ' on the waitlist. When a seat frees up you move up by yourself and get a direct message.'];
      buttons.push({ id: rsvpButton('no', event.id), label: 'Leave the waitlist', style: 'danger' });
      break;
    case 'declined':
      intro = ['You are not going to ', what, '. Changed your mind? Press Going.'];
      buttons.push({ id: rsvpButton('going', event.id), label: 'Going', style: 'primary' });
      break;
    default:
      intro = ['Are you coming to ', what, ', ', time(event.start, 'full'), '?'];
      buttons.push(...rsvpButtons(event));
  }
  if (entry && entry.status !== 'declined') {
    buttons.push(extra.reminders ? { id: rsvpButton('remind-off', event.id), label: 'Stop reminders' } : { id: rsvpButton('remind-on', event.id), label: 'Remind me the day before' });
  }
  if (event.rsvp?.realName) buttons.push({ id: rsvpButton('name', event.id), label: extra.realName ? 'Change my real name' : 'Give my real name' });
  const fields: Field[] = [{ name: 'Seats', value: [countsText(extra.counts, event.rsvp?.capacity)], inline: true }];
  if (event.rsvp?.realName) fields.push({ name: 'Real name for the guest list', value: [extra.realName ?? 'not given yet'], inline: true });
  if (entry?.answer !== undefined && event.rsvp?.question) fields.push({ name: event.rsvp.question, value: [entry.answer || '(no answer)'], inline: false });
  if (event.rsvp?.deadline) fields.push({ name: 'Registration closes', value: [time(event.rsvp.deadline, 'full')], inline: true });
  return message({ intro, fields, buttons, footer: ['Only you see this. Your name and answers are shown to the organizers only.'], ephemeral: true });
}

/** The form before Going: the real name (kept for next time) and the host's question. */
export function rsvpForm(event: MeetupEvent, ask: { realName: boolean; question: boolean }, known: { realName?: string; answer?: string }): ModalModel {
  const fields: ModalModel['fields'] = [];
  if (ask.realName) {
    fields.push({ id: 'realName', label: 'Your name as on your ID', style: 'short', required: true, minLength: 2, maxLength: REAL_NAME_MAX, placeholder: 'The host registers guests by real name', value: known.realName });
  }
  if (ask.question && event.rsvp?.question) {
    fields.push({ id: 'answer', label: clip(event.rsvp.question, 45), style: 'short', required: false, maxLength: ANSWER_MAX, placeholder: clip(event.rsvp.question, 150), value: known.answer });
  }
  return { id: `rsvp:going:${event.id}`, title: 'RSVP', fields, submitLabel: 'Going' };
}

export function nameForm(eventId: string, realName: string | undefined): ModalModel {
  return {
    id: `rsvp:name:${eventId}`,
    title: 'Your real name',
    submitLabel: 'Save',
    fields: [{ id: 'realName', label: 'Your name as on your ID', style: 'short', required: true, minLength: 2, maxLength: REAL_NAME_MAX, value: realName }],
  };
}

export const STATUS_NAMES: Record<RsvpStatus, string> = { going: 'Going', waitlist: 'Waitlist', declined: 'Not going' };

/** Organizers: counts, the guest list with real names and answers, the waitlist in order. */
export function presentGuestList(event: MeetupEvent, guests: Rsvp[], counts: Counts, interested: Interested | undefined | 'unavailable'): MessageModel {
  const line = (r: Rsvp, n: number): RichText => [
    `${n}. `,
    bold(clip(r.realName ?? r.displayName, 100)),
    r.realName ? ` (${clip(r.displayName, 60)} on ${r.platform})` : ` on ${r.platform}`,
    ...(r.answer ? [' · ', clip(r.answer, 150)] : []),
  ];
  const going = guests.filter((g) => g.status === 'going');
  const waiting = guests.filter((g) => g.status === 'waitlist');
  const fields: Field[] = [
    { name: 'Going', value: [countsText(counts, event.rsvp?.capacity)], inline: true },
    { name: 'Not going', value: [String(counts.declined)], inline: true },
  ];
  if (interested === 'unavailable') fields.push({ name: 'Interested on Discord', value: ['could not be read just now'], inline: true });
  else if (interested) fields.push({ name: 'Interested on Discord', value: [`${interested.count} (${interested.alsoGoing} of them RSVPed Going here)`], inline: true });
  const missingNames = event.rsvp?.realName ? going.filter((g) => !g.realName).length : 0;
  return message({
    title: clip(`Guest list: ${event.title}`, 200),
    intro: missingNames > 0 ? [`${missingNames} going without a real name yet.`] : undefined,
    fields,
    sections: [
      ...linesToSections('Going', going.map(line)),
      ...linesToSections('Waitlist, in order', waiting.map(line)),
      ...(guests.length === 0 ? [{ body: ['Nobody has answered yet.'] }] : []),
    ],
    buttons: [{ id: rsvpButton('export', event.id), label: 'Export CSV' }],
    footer: ['Only organizers see this. ', code(`/rsvp export ${event.id}`), ' gives the CSV.'],
    ephemeral: true,
  });
}

/** `/rsvp me`: everything the bot holds about the caller. */
export function presentMine(answers: Rsvp[], realName: string | undefined, reminders: boolean, titleOf: (id: string) => string, retentionDays: number): MessageModel {
  const lines = answers.map((r): RichText => [bold(clip(titleOf(r.eventId), 150)), `: ${STATUS_NAMES[r.status]}`, ...(r.answer ? [` · your answer: ${clip(r.answer, 150)}`] : [])]);
  return message({
    title: 'What the bot holds about you',
    fields: [
      { name: 'Real name', value: [realName ?? 'none'], inline: true },
      { name: 'Reminders by direct message', value: [reminders ? 'on' : 'off'], inline: true },
    ],
    sections: lines.length > 0 ? linesToSections('Your RSVPs', lines) : [{ body: ['No RSVPs.'] }],
    footer: [`RSVPs are deleted ${retentionDays} days after their meetup. /rsvp forget deletes all of this now.`],
    ephemeral: true,
  });
}

