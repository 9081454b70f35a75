import type { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import type { Destination } from '../chat/adapter';
import type { MessageModel } from '../chat/message';
import type { ScheduledPostSummary } from '../commands/definition';
import { cancellationMessage, eventPostMessage, ruleMessage, updatedMessage } from './messages';
import { deliveryRowKey, type NewOutboxRow, type OutboxRow } from './outbox-row';
import { eventContentHash, hash, type OutboxPayload } from './payload';
import { planPost, planRules, type PlanInput, type PlannedGroup } from './plan';
import { problemsSummary, type LooseProblem } from './report';
import { keyPrefix, SINGLE_COMMUNITY } from '../community/scope';

/** What the planner reads of the outbox (the Outbox itself, or an in-memory table in tests). */
export interface OutboxView {
  existing(keys: string[]): Set<string>;
  sentAbout(eventId: string): OutboxRow[];
  unsentAbout(eventId: string): OutboxRow[];
  pendingAboutEvents(): OutboxRow[];
  /** True while this pass asked for rows the view does not hold yet: the pass is run again, so messages can wait. */
  incomplete?(): boolean;
}

export interface PlannerInput extends PlanInput {
  now: DateTime;
  /** Posts that fell due while the bot was down or paused go out this late at most; older ones are skipped. */
  graceMinutes: number;
  onChange: 'edit' | 'update';
  paused: boolean;
  outbox: OutboxView;
  /** Organizers' /announce posts due by now. */
  duePosts: ScheduledPostSummary[];
  /** When the scheduler first saw a subject (meetup id, call-for-talks deadline); undefined if never. */
  seen(subject: string): DateTime | undefined;
}

/** What the planner asks for; the scheduler applies the list in one transaction. */
export type OutboxOp =
  | { op: 'seen'; subject: string; at: DateTime }
  | { op: 'insert'; rows: NewOutboxRow[] }
  | { op: 'cancel'; key: string; reason: string }
  | { op: 'postDone'; id: number }
  | { op: 'setContentHash'; keys: string[]; contentHash: string }
  /** Edit a sent message to show the current agenda (done by the deliverer, not in the transaction). */
  | { op: 'edit'; row: OutboxRow; payload: OutboxPayload; contentHash: string }
  /** A summary for the organizers, as outbox rows of its own, and the rows it covers marked reported. */
  | { op: 'report'; rows: NewOutboxRow[]; covers: string[] };

/** Posts due longer ago than this are not planned at all any more (a week-long outage is history). */
const PLANNING_HORIZON_MINUTES = 7 * 24 * 60;
/** A summary for the organizers is worth delivering for a week. */
const REPORT_WORTH_DAYS = 7;

/**
 * Catalogue, rules, outbox state and now -> outbox operations. Pure: every input comes in as a value or a
 * read-only view, and everything it wants done comes back as operations.
 * - every post due by now becomes pending rows (or skipped ones, when it is already later than its grace);
 * - posted announcements are kept true: a cancelled meetup gets a cancellation where it was announced, its
 *   posts are edited to say cancelled (and its unsent posts are dropped), a changed agenda is edited into the
 *   posts or posted as an update, posts about a meetup that left the data are dropped.
 * Nothing is planned while paused. Meetups whose date is to be confirmed are never announced (see planRules).
 */
export function plan(input: PlannerInput): OutboxOp[] {
  if (input.paused) return [];
  const ops: OutboxOp[] = [];
  const { now } = input;
  const seen = (subject: string): DateTime => {
    const at = input.seen(subject);
    if (at) return at;
    ops.push({ op: 'seen', subject, at: now });
    return now;
  };
  const from = now.minus({ minutes: Math.max(PLANNING_HORIZON_MINUTES, input.graceMinutes) });
  const groups = planRules(input, seen, from, now);
  groups.push(...input.duePosts.map((post) => planPost(input, post)));
  for (const group of groups) {
    const rows = rowsFor(input, group);
    if (rows.length > 0) ops.push({ op: 'insert', rows });
  }
  for (const post of input.duePosts) ops.push({ op: 'postDone', id: post.id });
  followUps(input, ops);
  return ops;
}

/** One summary of what was not sent or was skipped, to every organizers' channel; each row is in one summary. */
export function planReport(rows: OutboxRow[], loose: LooseProblem[], organizers: readonly Destination[], input: Pick<PlanInput, 'settings' | 'community'> & { now: DateTime }): OutboxOp[] {
  const summary = problemsSummary(rows, loose, input.settings.timeZone);
  if (!summary) return [];
  const covers = rows.map((r) => r.deliveryKey);
  const key = `${keyPrefix(input.community ?? SINGLE_COMMUNITY)}report:${input.now.toUTC().toISO()}:${hash([covers, loose])}`;
  const payload: OutboxPayload = { label: 'report to the organizers', message: summary };
  const rowsOut = organizers.map((d) => reportRow(key, d, payload, input.now));
  return [{ op: 'report', rows: rowsOut, covers }];
}

function reportRow(key: string, to: Destination, payload: OutboxPayload, now: DateTime): NewOutboxRow {
  const worthUntil = now.plus({ days: REPORT_WORTH_DAYS });
  return { deliveryKey: deliveryRowKey(key, to), platform: to.platform, channel: to.channel, kind: 'report', dueAt: now, worthUntil, payload, contentHash: '', status: 'pending' };
}

function rowsFor(input: PlannerInput, group: PlannedGroup): NewOutboxRow[] {
  const keys = group.destinations.map((d) => keyPrefix(input.community ?? SINGLE_COMMUNITY) + deliveryRowKey(group.key, d));
  const existing = input.outbox.existing(keys);
  if (existing.size === keys.length || input.outbox.incomplete?.()) return [];
  const grace = group.graceMinutes ?? input.graceMinutes;
  const lateBy = input.now.diff(group.dueAt, 'minutes').minutes;
  const skipReason = group.problem ?? (lateBy > grace ? tooLate(grace) : undefined);
  const payload = group.payload();
  const worthUntil = group.worthUntil ?? group.dueAt.plus({ minutes: grace });
  return group.destinations
    .map((destination, i) => ({
      deliveryKey: keys[i]!,
      platform: destination.platform,
      channel: destination.channel,
      kind: group.kind,
      eventId: group.eventId,
      dueAt: group.dueAt,
      worthUntil,
      payload,
      contentHash: group.contentHash,
      status: skipReason ? ('skipped' as const) : ('pending' as const),
      lastError: skipReason,
    }))
    .filter((row) => !existing.has(row.deliveryKey));
}

function followUps(input: PlannerInput, ops: OutboxOp[]): void {
  for (const row of input.outbox.pendingAboutEvents()) {
    if (!input.catalogue.byId(row.eventId!)) ops.push({ op: 'cancel', key: row.deliveryKey, reason: 'the meetup is no longer in the data' });
  }
  for (const event of input.catalogue.events) {
    if (event.end <= input.now) continue;
    const sent = input.outbox.sentAbout(event.id).filter((r) => r.kind !== 'cancel');
    if (event.status === 'cancelled') {
      cancelAbout(input, event, sent, ops);
      continue;
    }
    const contentHash = eventContentHash(event);
    const stale = sent.filter((r) => r.contentHash !== contentHash);
    if (stale.length === 0) continue;
    if (input.onChange === 'edit') for (const row of stale) ops.push(editOp(input, event, row, contentHash));
    else postUpdate(input, event, stale, contentHash, ops);
  }
}

function cancelAbout(input: PlannerInput, event: MeetupEvent, sent: OutboxRow[], ops: OutboxOp[]): void {
  for (const row of input.outbox.unsentAbout(event.id)) {
    if (row.kind !== 'cancel' && row.status === 'pending') ops.push({ op: 'cancel', key: row.deliveryKey, reason: 'the meetup was cancelled' });
  }
  if (sent.length === 0) return;
  const rows = rowsFor(input, {
    key: `cancel:${event.id}`,
    kind: 'cancel',
    eventId: event.id,
    dueAt: input.now,
    worthUntil: event.end,
    destinations: distinctDestinations(sent),
    contentHash: eventContentHash(event),
    payload: () => ({ label: `cancellation: ${event.title}`, message: cancellationMessage(input.rules.messages, event, input) }),
  });
  if (rows.length > 0) ops.push({ op: 'insert', rows });
  // The posts announcing it say so too, so nobody reading an old announcement turns up (whatever ANNOUNCE_CHANGES).
  const cancelledHash = `cancelled:${eventContentHash(event)}`;
  for (const row of sent) {
    if (row.contentHash === cancelledHash) continue;
    if (!row.messageId) ops.push({ op: 'setContentHash', keys: [row.deliveryKey], contentHash: cancelledHash });
    else ops.push({ op: 'edit', row, contentHash: cancelledHash, payload: { ...row.payload, message: cancellationMessage(input.rules.messages, event, input) } });
  }
}

function editOp(input: PlannerInput, event: MeetupEvent, row: OutboxRow, contentHash: string): OutboxOp {
  const message = currentMessage(input, event, row);
  // Its rule is gone: nothing to rebuild it from. Remember the content so this is not looked at again.
  if (!message || !row.messageId) return { op: 'setContentHash', keys: [row.deliveryKey], contentHash };
  return { op: 'edit', row, contentHash, payload: { ...row.payload, message } };
}

function currentMessage(input: PlannerInput, event: MeetupEvent, row: OutboxRow): MessageModel | undefined {
  if (row.kind === 'post') return eventPostMessage(input.rules.messages, event, input);
  if (row.kind === 'update') return updatedMessage(input.rules.messages, event, input);
  const rule = input.rules.rules.find((r) => r.id === row.payload.ruleId);
  return rule && ruleMessage(rule, event, input);
}

/** One update post per channel that has posts about the meetup, however many posts there are. */
function postUpdate(input: PlannerInput, event: MeetupEvent, stale: OutboxRow[], contentHash: string, ops: OutboxOp[]): void {
  const rows = rowsFor(input, {
    key: `update:${event.id}:${contentHash}`,
    kind: 'update',
    eventId: event.id,
    dueAt: input.now,
    worthUntil: event.end,
    destinations: distinctDestinations(stale),
    contentHash,
    payload: () => ({ label: `update: ${event.title}`, message: updatedMessage(input.rules.messages, event, input) }),
  });
  if (rows.length > 0) ops.push({ op: 'insert', rows });
  ops.push({ op: 'setContentHash', keys: stale.map((r) => r.deliveryKey), contentHash });
}

export function tooLate(graceMinutes: number): string {
  return `it fell due while the bot was down or paused, more than ${formatMinutes(graceMinutes)} ago`;
}

function formatMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

function distinctDestinations(rows: OutboxRow[]): Destination[] {
  const seen = new Map<string, Destination>();
  for (const r of rows) seen.set(`${r.platform}:${r.channel}`, { platform: r.platform, channel: r.channel });
  return [...seen.values()];
}
