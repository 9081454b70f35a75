import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import type { Destination } from '../chat/adapter';
import type { ScheduledPostSummary } from '../commands/definition';
import type { FeedLinks } from '../feeds/links';
import { cfpDeadline, cfpMessage, eventPostMessage, ruleMessage, textPostMessage } from './messages';
import type { OutboxKind } from './outbox';
import { eventContentHash, hash, type OutboxPayload } from './payload';
import type { AnnouncementRule, AnnouncementRules } from './rules';

/** Everything planning reads; the same for the scheduler and for /announce preview, so previews are exact. */
export interface PlanInput {
  catalogue: Catalogue;
  settings: CommunitySettings;
  rules: AnnouncementRules;
  destinations: readonly Destination[];
  feeds: FeedLinks;
  /** Whose posts these are (src/community/scope.ts): its delivery keys carry its prefix. Default: the single community. */
  community?: string;
}

/** One post (the same message to several channels): a rule for one meetup, or an organizer's post. */
export interface PlannedGroup {
  /** Delivery keys are `${key}:${platform}:${channel}`. */
  key: string;
  kind: OutboxKind;
  eventId?: string;
  dueAt: DateTime;
  /** This post's own catch-up window, when its rule sets one. */
  graceMinutes?: number;
  /** Until when it is worth retrying through an outage (default: its catch-up window after it fell due). */
  worthUntil?: DateTime;
  destinations: Destination[];
  contentHash: string;
  /** Why it cannot be posted (e.g. its meetup was removed): recorded as skipped and reported. */
  problem?: string;
  payload(): OutboxPayload;
}

/** When the scheduler first saw a subject (meetup id or `cfp-<deadline>`). */
export type FirstSeen = (subject: string) => DateTime;

/** Where a rule posts: its own channel list, else every announce channel, narrowed to its platforms. */
export function destinationsFor(rule: Pick<AnnouncementRule, 'platforms' | 'channels'>, all: readonly Destination[]): Destination[] {
  const base = rule.channels ?? all;
  return base.filter((d) => !rule.platforms || rule.platforms.includes(d.platform)).map((d) => ({ platform: d.platform, channel: d.channel }));
}

/**
 * When a rule posts about a subject first seen at `seen`, or undefined when it does not:
 * - "published": when first seen;
 * - "<offset> before/after" (at a local time of day): then, if the bot knew by then; with orWhenPublished,
 *   a subject that appeared later is posted when first seen instead;
 * posts that wait for publication never go out after the meetup has started.
 */
export function ruleDueAt(rule: AnnouncementRule, anchor: DateTime, seen: DateTime, meetupStart?: DateTime): DateTime | undefined {
  const timing = rule.timing;
  let due: DateTime;
  let waitsForPublication = timing.kind === 'published';
  if (timing.kind === 'published') {
    due = seen;
  } else {
    let point = anchor.plus(timing.offset);
    if (timing.at) point = point.set({ hour: timing.at.hour, minute: timing.at.minute, second: 0, millisecond: 0 });
    if (seen > point) {
      if (!timing.orWhenPublished) return undefined;
      due = seen;
      waitsForPublication = true;
    } else {
      due = point;
    }
  }
  if (waitsForPublication && meetupStart && due >= meetupStart) return undefined;
  return due.setZone(anchor.zone);
}

/** The automatic posts (rules) due in (from, to]. */
export function planRules(input: PlanInput, seen: FirstSeen, from: DateTime, to: DateTime): PlannedGroup[] {
  const groups: PlannedGroup[] = [];
  const inWindow = (due: DateTime | undefined): due is DateTime => due !== undefined && due > from && due <= to;
  const meetupRules = input.rules.rules.filter((r) => r.of === 'meetup');
  const oldestStart = from.toMillis() - furthestAfterMs(meetupRules);
  for (const event of input.catalogue.events) {
    // An imported calendar's events are announced only when its source opts in (`announce: true` in sources.yml).
    // A meetup whose date is still to be confirmed has no date to announce or remind of.
    if (event.status === 'cancelled' || event.announce === false || event.dateToBeConfirmed || event.start.toMillis() <= oldestStart) continue;
    const firstSeen = seen(event.id);
    for (const rule of meetupRules) {
      const due = ruleDueAt(rule, event.start.setZone(input.settings.timeZone), firstSeen, event.start);
      if (inWindow(due)) groups.push(meetupRuleGroup(input, rule, event, due));
    }
  }
  const deadline = cfpDeadline(input.settings);
  if (deadline) {
    const subject = `cfp-${deadline.toISODate()}`;
    for (const rule of input.rules.rules.filter((r) => r.of === 'cfp-deadline')) {
      const due = ruleDueAt(rule, deadline, seen(subject));
      if (inWindow(due)) groups.push(cfpRuleGroup(input, rule, subject, deadline, due));
    }
  }
  return groups.sort((a, b) => a.dueAt.toMillis() - b.dueAt.toMillis() || a.key.localeCompare(b.key));
}

/** An organizer's /announce post, to every announce channel (a meetup's own channels for its announcement). */
export function planPost(input: PlanInput, post: ScheduledPostSummary): PlannedGroup {
  const dueAt = post.dueAt.setZone(input.settings.timeZone);
  const about = post.eventId === undefined ? undefined : input.catalogue.byId(post.eventId);
  const destinations = (about?.channels ?? input.destinations).map((d) => ({ platform: d.platform, channel: d.channel }));
  const key = `post:${post.id}:${post.eventId ?? 'text'}`;
  const by = `/announce #${post.id} by ${post.createdBy}`;
  if (post.eventId === undefined) {
    const text = post.text ?? '';
    return { key, kind: 'post', dueAt, destinations, contentHash: hash(text), payload: () => ({ label: `${by}: "${preview(text)}"`, postId: post.id, message: textPostMessage(text) }) };
  }
  const event = input.catalogue.byId(post.eventId);
  const label = `${by} about ${event?.title ?? post.eventId}`;
  const problem = !event
    ? `the meetup "${post.eventId}" is no longer in the data`
    : event.status === 'cancelled'
      ? 'the meetup is cancelled'
      : event.dateToBeConfirmed
        ? 'the meetup date is still to be confirmed'
        : undefined;
  return {
    key,
    kind: 'post',
    eventId: post.eventId,
    dueAt,
    destinations,
    contentHash: event ? eventContentHash(event) : hash(post.eventId),
    worthUntil: event && event.start > dueAt ? event.start : undefined,
    problem,
    payload: () => ({ label, postId: post.id, message: event ? eventPostMessage(input.rules.messages, event, input) : textPostMessage(label) }),
  };
}

function meetupRuleGroup(input: PlanInput, rule: AnnouncementRule, event: MeetupEvent, dueAt: DateTime): PlannedGroup {
  return {
    key: `rule:${rule.id}:${event.id}`,
    kind: 'rule',
    eventId: event.id,
    dueAt,
    graceMinutes: rule.graceMinutes,
    // An announcement or a reminder is worth making until the meetup starts (for days, or for hours).
    worthUntil: dueAt < event.start ? event.start : undefined,
    // An imported source's own channels replace the community's (and a rule's channel list); its platforms still apply.
    destinations: event.channels ? destinationsFor({ platforms: rule.platforms }, event.channels) : destinationsFor(rule, input.destinations),
    contentHash: eventContentHash(event),
    payload: () => ({ label: `${rule.id}: ${event.title}`, ruleId: rule.id, message: ruleMessage(rule, event, input) }),
  };
}

function cfpRuleGroup(input: PlanInput, rule: AnnouncementRule, subject: string, deadline: DateTime, dueAt: DateTime): PlannedGroup {
  return {
    key: `rule:${rule.id}:${subject}`,
    kind: 'rule',
    dueAt,
    graceMinutes: rule.graceMinutes,
    // The call for talks is open until the end of its deadline day.
    worthUntil: dueAt < deadline.plus({ days: 1 }) ? deadline.plus({ days: 1 }) : undefined,
    destinations: destinationsFor(rule, input.destinations),
    contentHash: hash([rule.template, subject]),
    payload: () => ({ label: `${rule.id}: call for talks closing ${deadline.toISODate()}`, ruleId: rule.id, message: cfpMessage(rule, deadline, input) }),
  };
}

/** How long after a meetup's start its latest rule fires: older meetups need no planning at all. */
function furthestAfterMs(rules: AnnouncementRule[]): number {
  const afters = rules.map((r) => (r.timing.kind === 'offset' ? r.timing.offset.as('milliseconds') : 0));
  // A day of slack covers an "at" time later on the day the offset lands on.
  return Math.max(0, ...afters) + 24 * 3600_000;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
