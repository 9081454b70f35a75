/**
 * `sessions:` in a YAML event file: a multi-day or multi-room event written by hand, read into the same
 * programme model the schedule importers produce (MeetupEvent.sessions), so /agenda <event> day|now|next|words
 * and the per-event session feed work the same for it.
 *
 *   title: SRE Munich Unconference 2026
 *   timeZone: Europe/Berlin                     # optional: the event's own zone, when not the community's
 *   venue: Werk1, Grafinger Str. 6
 *   sessions:                                   # start and end of the event come from them when not given
 *     - title: Opening
 *       start: "2026-09-14 09:00"               # date and time, in the event's zone
 *       end: "09:30"                            # a time that day, or a date and time
 *       room: Main hall
 *       track: Plenary
 *       kind: talk                              # free text: talk, workshop, break, ...
 *       speakers: [{ name: Ada Lovelace, company: Example GmbH }, Grace Hopper]
 *       abstract: Why we are here.
 *       links: [{ label: Slides, url: /slides/2026_09/opening.pdf }]
 *       id: opening                             # optional: keeps the feed UID when the time or room changes
 *     - { title: Lunch, start: "2026-09-14 12:30", end: "13:30", kind: break }
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Session } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import type { Diagnostic } from './diagnostics';
import { resolveLink } from './links';
import { addDays, atWallTime, parseTimeOfDay, parseWallDateTime } from './time';

const text = z.string().trim().min(1, { message: 'is empty: write something or remove the key.' });
const dateTimeText = z.string().refine((v) => parseWallDateTime(v, 'UTC')?.time !== undefined, { message: 'needs a date and a time: write "2026-09-14 09:00".' });
const clockOrDateTime = z.string().refine((v) => parseTimeOfDay(v) !== undefined || parseWallDateTime(v, 'UTC')?.time !== undefined, {
  message: 'should be a time ("09:30") or a date and time ("2026-09-14 09:30").',
});
const link = z.object({ label: z.string().trim().default(''), url: z.string().trim().min(1) }).strict();
const speaker = z.union([text.transform((name) => ({ name })), z.object({ name: text, company: text.optional(), bio: text.optional() }).strict()]);

export const SessionSchema = z
  .object({
    id: text.optional(),
    title: text,
    start: dateTimeText,
    end: clockOrDateTime,
    room: text.optional(),
    track: text.optional(),
    kind: text.optional(),
    speakers: z.array(speaker).default([]),
    abstract: text.optional(),
    links: z.array(link).default([]),
    cancelled: z.boolean().optional(),
  })
  .strict();

export type YamlSession = z.infer<typeof SessionSchema>;
export const SESSION_KEYS = Object.keys(SessionSchema.shape);

/**
 * The sessions in the event's zone, sorted by start, room and title like an import's. A session that ends
 * before it starts, or whose id repeats, is an error at its line; the file then keeps its last good version.
 */
export function toSessions(
  raw: readonly YamlSession[],
  zone: string,
  settings: CommunitySettings,
  file: string,
  lineOf: (path: (string | number)[]) => number | undefined,
  diagnostics: Diagnostic[],
): Session[] | undefined {
  const sessions: Session[] = [];
  const ids = new Set<string>();
  let ok = true;
  raw.forEach((s, index) => {
    const wall = parseWallDateTime(s.start, zone)!;
    const start = atWallTime(wall.date, wall.time!, zone);
    const full = parseWallDateTime(s.end, zone);
    let end = full?.time ? atWallTime(full.date, full.time, zone) : atWallTime(wall.date, parseTimeOfDay(s.end)!, zone);
    // "end: 01:00" after an evening start is the next morning, as for a meetup.
    if (!full?.time && end <= start && end.hour < 6) end = atWallTime(addDays(wall.date, 1), parseTimeOfDay(s.end)!, zone);
    if (end <= start) {
      diagnostics.push({ file, line: lineOf(['sessions', index, 'end']), severity: 'error', message: `\`sessions[${index}].end\` is not after its start: write when "${s.title}" ends.` });
      ok = false;
      return;
    }
    const id = s.id ?? slotId(start.toFormat("yyyyMMdd'T'HHmm"), s.room, s.title, ids);
    if (ids.has(id)) {
      diagnostics.push({ file, line: lineOf(['sessions', index, 'id']), severity: 'error', message: `\`sessions[${index}].id\` "${id}" is used by another session: ids must be unique within the event.` });
      ok = false;
      return;
    }
    ids.add(id);
    sessions.push({
      id,
      title: s.title,
      start,
      end,
      room: s.room,
      track: s.track,
      kind: s.kind,
      speakers: s.speakers,
      abstract: s.abstract,
      links: s.links.flatMap((l) => resolveLink(l, settings, 'Link') ?? []),
      cancelled: s.cancelled,
    });
  });
  if (!ok) return undefined;
  return sessions.sort((a, b) => a.start.toMillis() - b.start.toMillis() || (a.room ?? '').localeCompare(b.room ?? '') || a.title.localeCompare(b.title));
}

/**
 * Without an id, a session is known by its slot (start and room), so retitling a talk keeps its feed UID; two
 * sessions in one slot are told apart by their titles.
 */
function slotId(start: string, room: string | undefined, title: string, taken: ReadonlySet<string>): string {
  const slot = `${start}-${slug(room ?? 'all')}`;
  if (!taken.has(slot)) return slot;
  return `${slot}-${createHash('sha256').update(title).digest('hex').slice(0, 8)}`;
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'room';
}
