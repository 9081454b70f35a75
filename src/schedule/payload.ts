import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import { recheckLinks, type MessageModel } from '../chat/message';
import { parseTimes, stringifyTimes } from '../store/json-times';

/** What an outbox row stores: the exact message to send (or re-send after a crash) and what it is about. */
export interface OutboxPayload {
  /** For organizers' reports: "reminder: SRE Munich at Celonis 2024". */
  label: string;
  ruleId?: string;
  postId?: number;
  message: MessageModel;
}

/** JSON for a payload; its DateTimes (time spans) keep their zone (see json-times.ts). */
export function encodePayload(payload: OutboxPayload): string {
  return stringifyTimes(payload, '$dateTime');
}

export function decodePayload(json: string): OutboxPayload {
  const payload = parseTimes(json, '$dateTime') as OutboxPayload;
  return { ...payload, message: recheckLinks(payload.message) };
}

/**
 * Fingerprint of what announcements show about a meetup: when it changes after posting, the posts are edited
 * (or an update is posted). Abstracts, slides and the summary are left out on purpose: they do not appear in
 * the posts, and slides arriving after the meetup must not touch old announcements.
 */
export function eventContentHash(event: MeetupEvent): string {
  const iso = (d: DateTime | undefined) => d?.toUTC().toISO() ?? null;
  return hash({
    title: event.title,
    start: iso(event.start),
    end: iso(event.end),
    venue: event.venue ?? null,
    address: event.address ?? null,
    online: event.online ?? null,
    url: event.url ?? null,
    agenda: event.agenda.map((a) => [iso(a.start), a.title]),
    talks: event.talks.map((t) => [t.title, t.kind, iso(t.start), t.speakers.map((s) => [s.name, s.company ?? null])]),
  });
}

export function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
