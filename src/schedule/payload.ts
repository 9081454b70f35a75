import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import { recheckLinks, type MessageModel } from '../chat/message';

/** What an outbox row stores: the exact message to send (or re-send after a crash) and what it is about. */
export interface OutboxPayload {
  /** For organizers' reports: "reminder: SRE Munich at Celonis 2024". */
  label: string;
  ruleId?: string;
  postId?: number;
  message: MessageModel;
}

interface EncodedDateTime {
  $dateTime: string;
  zone: string;
}

/**
 * JSON for a payload. DateTimes (time spans) keep their zone name, not just an offset: renderers show the zone's
 * abbreviation ("CET") in fallbacks, which a fixed "+01:00" would lose.
 */
export function encodePayload(payload: OutboxPayload): string {
  return JSON.stringify(encodeValue(payload));
}

export function decodePayload(json: string): OutboxPayload {
  const payload = decodeValue(JSON.parse(json)) as OutboxPayload;
  return { ...payload, message: recheckLinks(payload.message) };
}

function encodeValue(value: unknown): unknown {
  if (DateTime.isDateTime(value)) return { $dateTime: value.toISO() ?? '', zone: value.zoneName ?? 'utc' } satisfies EncodedDateTime;
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value && typeof value === 'object') {
    const encoded = value as Partial<EncodedDateTime>;
    if (typeof encoded.$dateTime === 'string') return DateTime.fromISO(encoded.$dateTime, { zone: encoded.zone ?? 'utc' });
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(v)]));
  }
  return value;
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
