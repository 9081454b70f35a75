/**
 * Structured event files, `data/events/<id>.yml` (or `.yaml`), for organizers who prefer them to a website post.
 * The file name without extension is the event id. Times are wall times in the community's zone (settings.yml
 * `timeZone`); quote times ("19:10") so every YAML tool keeps them as text.
 *
 *   title: SRE Munich at Example 2025          # required
 *   start: "2025-04-14 18:00"                  # required: date and time doors open
 *   end: "21:30"                               # optional: a time that day or a full date-time; else last agenda item
 *   venue: Example GmbH                        # optional, with address; or online: https://meet.example/abc
 *   address: Examplestr. 1, 80331 München
 *   status: scheduled                          # or cancelled
 *   summary: We're excited to announce ...     # optional, plain text
 *   agenda:                                    # optional; built from the talks' times when absent
 *     - { time: "18:00", title: Get together with food and drinks }
 *     - { time: "19:10", title: "Talk 1: Upgrading thousands of stateful applications" }
 *   talks:
 *     - title: Upgrading thousands of stateful applications
 *       time: "19:10"                          # links the talk to the agenda line at that time
 *       kind: talk                             # talk | lightning | panel | discussion
 *       speakers:
 *         - { name: Michael Lex, company: ClickHouse, bio: "..." }
 *         - Jane Doe                           # a name alone is fine
 *       abstract: |
 *         How do you upgrade ...
 *       slides: [{ label: Slides, url: /slides/2025_04/upgrades.pdf }]
 *   cfp: We're always looking for 20-45 minute talks ...
 *   slides: [{ label: Kick-off, url: /slides/2025_04/kickoff.pdf }]
 *   recordings: [{ label: Talk 1, url: https://www.youtube.com/watch?v=... }]
 *   rsvp: { capacity: 50, realName: true }     # optional: RSVPs in chat (see src/sources/rsvp-fields.ts)
 *   timeZone: Europe/Dublin                    # optional: the event's own zone for all its times
 *   sessions: [...]                            # optional: a multi-day/multi-room programme (src/sources/yaml-sessions.ts);
 *                                              # with sessions, start and end default to the first and last session's
 */
import { IANAZone, type DateTime } from 'luxon';
import { z } from 'zod';
import type { AgendaItem, MeetupEvent, Talk } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { DEFAULT_LENGTH_HOURS, endFromAgenda } from './agenda';
import { closestKey, issueLine, parseLocatedYaml, tooLarge, yamlToJs, yamlErrorDiagnostics, zodIssueDiagnostics, type Diagnostic } from './diagnostics';
import { eventUrl, resolveLink, type RawLink } from './links';
import type { ParsedFile } from './markdown';
import { RsvpFieldsSchema, toEventRsvp } from './rsvp-fields';
import { similarity } from './abstract-match';
import { SESSION_KEYS, SessionSchema, toSessions } from './yaml-sessions';
import { addDays, atWallTime, parseTimeOfDay, parseWallDateTime, type CalendarDate, type TimeOfDay } from './time';

const clockText = z.string().refine((v) => parseTimeOfDay(v) !== undefined, { message: 'is not a time of day: write "19:10" or "7:10 pm".' });
const dateTimeText = z.string().refine((v) => parseWallDateTime(v, 'UTC')?.time !== undefined, { message: 'needs a date and a time: write "2025-04-14 18:30".' });
const clockOrDateTime = z.string().refine((v) => parseTimeOfDay(v) !== undefined || parseWallDateTime(v, 'UTC')?.time !== undefined, {
  message: 'should be a time ("21:30") or a date and time ("2025-04-14 21:30").',
});
const text = z.string().trim().min(1, { message: 'is empty: write something or remove the key.' });
const link = z.object({ label: z.string().trim().default(''), url: z.string().trim().min(1) }).strict();

const speaker = z.union([
  text.transform((name) => ({ name })),
  z.object({ name: text, company: text.optional(), bio: text.optional() }).strict(),
]);

const talk = z
  .object({
    title: text,
    time: clockText.optional(),
    kind: z.enum(['talk', 'lightning', 'panel', 'discussion']).default('talk'),
    speakers: z.array(speaker).default([]),
    abstract: text.optional(),
    slides: z.array(link).default([]),
  })
  .strict();

const YamlEventSchema = z
  .object({
    title: text,
    // Required unless there are sessions (checked in readYamlEvent, so the message can say so).
    start: dateTimeText.optional(),
    end: clockOrDateTime.optional(),
    venue: text.optional(),
    address: text.optional(),
    online: z.string().url({ message: 'should be the link to the online meeting, starting with https://.' }).optional(),
    status: z.enum(['scheduled', 'cancelled']).default('scheduled'),
    cancelled: z.boolean().optional(),
    summary: text.optional(),
    agenda: z.array(z.object({ time: clockText.optional(), title: text }).strict()).default([]),
    talks: z.array(talk).default([]),
    cfp: text.optional(),
    slides: z.array(link).default([]),
    recordings: z.array(link).default([]),
    rsvp: RsvpFieldsSchema.optional(),
    timeZone: z.string().refine((v) => IANAZone.isValidZone(v), { message: 'is not a time zone: use an IANA name such as "Europe/Dublin".' }).optional(),
    sessions: z.array(SessionSchema).default([]),
  })
  .passthrough();

type YamlEvent = z.infer<typeof YamlEventSchema>;
const KNOWN_KEYS = Object.keys(YamlEventSchema.shape);
const NESTED_KEYS = [...Object.keys(talk.shape), ...SESSION_KEYS, 'name', 'company', 'bio', 'label', 'url'];

export interface YamlParseOptions {
  file: string;
  settings: CommunitySettings;
}

/** Parses one `.yml` event file. Never throws: YAML and schema problems are diagnostics at their line. */
export function parseYamlEvent(source: string, options: YamlParseOptions): ParsedFile {
  try {
    return readYamlEvent(source, options);
  } catch (error) {
    return { diagnostics: [{ file: options.file, severity: 'error', message: `Could not read this event file (${error instanceof Error ? error.message : String(error)}). Please report it with the file.` }] };
  }
}

/** The reader without the safety net, for tests that must see a crash as a crash (fuzzing). */
export function readYamlEvent(source: string, options: YamlParseOptions): ParsedFile {
  const { file } = options;
  const size = tooLarge(source, file);
  if (size) return { diagnostics: [size] };
  const located = parseLocatedYaml(source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const syntax = yamlErrorDiagnostics(located, file, 'This event file');
  if (syntax.length > 0) return { diagnostics: syntax };
  const js = yamlToJs(located, file, 'This event file');
  if (js.diagnostics.length > 0) return { diagnostics: js.diagnostics };
  const raw = js.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { diagnostics: [{ file, line: 1, severity: 'error', message: 'An event file must be `key: value` lines (title, start, ...); see the format in src/sources/yaml-event.ts.' }] };
  }
  const result = YamlEventSchema.safeParse(raw);
  if (!result.success) return { diagnostics: zodIssueDiagnostics(result.error.issues, located, file, [...KNOWN_KEYS, ...NESTED_KEYS]) };
  if (result.data.start === undefined && result.data.sessions.length === 0) {
    return { diagnostics: [{ file, line: 1, severity: 'error', message: '`start` is missing: write the date and time doors open, e.g. start: "2025-04-14 18:30" (or list the event\'s `sessions:`).' }] };
  }
  const diagnostics: Diagnostic[] = Object.keys(raw)
    .filter((key) => !KNOWN_KEYS.includes(key))
    .map((key) => ({ file, line: issueLine(located, [key]), severity: 'warning' as const, message: unknownKeyMessage(key) }));
  const event = toEvent(result.data, options, (pathToKey) => issueLine(located, pathToKey), diagnostics);
  return event ? { event, diagnostics } : { diagnostics };
}

function unknownKeyMessage(key: string): string {
  const near = closestKey(key, KNOWN_KEYS);
  return `Unknown key \`${key}\` is ignored${near ? `: did you mean \`${near}\`?` : '.'}`;
}

function toEvent(data: YamlEvent, options: YamlParseOptions, lineOf: (path: (string | number)[]) => number | undefined, diagnostics: Diagnostic[]): MeetupEvent | undefined {
  const { file, settings } = options;
  const zone = data.timeZone ?? settings.timeZone;
  const sessions = data.sessions.length > 0 ? toSessions(data.sessions, zone, settings, file, lineOf, diagnostics) : undefined;
  if (data.sessions.length > 0 && !sessions) return undefined;
  const wall = data.start ? parseWallDateTime(data.start, zone)! : undefined;
  const start = wall ? atWallTime(wall.date, wall.time!, zone) : sessions![0]!.start;
  const date = wall?.date ?? { year: start.year, month: start.month, day: start.day };
  const at = (clock: TimeOfDay) => atWallTime(date, clock, zone);
  const link = (l: RawLink) => resolveLink(l, settings, 'Slides') ?? [];

  const talks: Talk[] = data.talks.map((t) => ({
    title: t.title,
    speakers: t.speakers,
    kind: t.kind,
    abstract: t.abstract,
    slides: t.slides.flatMap(link),
    start: t.time ? at(parseTimeOfDay(t.time)!) : undefined,
  }));
  const agenda = buildAgenda(data, talks, at);
  const lastSession = sessions?.reduce((latest, s) => (s.end > latest ? s.end : latest), sessions[0]!.end);
  const end = !data.end && lastSession ? lastSession : yamlEnd(data, date, start, agenda, zone);
  if (end <= start) {
    diagnostics.push({ file, line: lineOf(['end']), severity: 'error', message: '`end` is not after `start`: write the time the meetup ends, e.g. end: "21:30".' });
    return undefined;
  }
  const id = file.split('/').pop()!.replace(/\.ya?ml$/i, '');
  return {
    id,
    title: data.title,
    summary: data.summary,
    start,
    end,
    dateSource: 'yaml',
    venue: data.venue,
    address: data.address,
    online: data.online,
    agenda,
    talks,
    cfp: data.cfp,
    slides: data.slides.flatMap(link),
    recordings: data.recordings.flatMap((l) => resolveLink(l, settings, 'Recording') ?? []),
    url: eventUrl(settings, id),
    status: data.cancelled === true ? 'cancelled' : data.status,
    rsvp: toEventRsvp(data.rsvp, zone),
    ...(data.timeZone ? { timeZone: data.timeZone } : {}),
    ...(sessions ? { sessions } : {}),
    source: { file },
  };
}

/**
 * The agenda as written, each line linked to the talk at the same time (or with the same title); talks the
 * agenda does not mention are added at their time. Without an agenda, the talks in time order are the agenda.
 */
function buildAgenda(data: YamlEvent, talks: Talk[], at: (clock: TimeOfDay) => DateTime): AgendaItem[] {
  const items: AgendaItem[] = data.agenda.map((a) => ({ start: a.time ? at(parseTimeOfDay(a.time)!) : undefined, title: a.title }));
  const linked = new Set<number>();
  for (const item of items) {
    const index = talks.findIndex((t, i) => !linked.has(i) && ((t.start && item.start && +t.start === +item.start) || similarity(t.title, item.title) >= 0.8));
    if (index >= 0) {
      item.talkIndex = index;
      linked.add(index);
    }
  }
  talks.forEach((t, index) => {
    if (linked.has(index)) return;
    const item = { start: t.start, title: t.title, talkIndex: index };
    const before = t.start ? items.findIndex((a) => a.start !== undefined && a.start > t.start!) : -1;
    if (before < 0) items.push(item);
    else items.splice(before, 0, item);
  });
  return items;
}

function yamlEnd(data: YamlEvent, date: CalendarDate, start: DateTime, agenda: AgendaItem[], zone: string): DateTime {
  if (data.end) {
    const full = parseWallDateTime(data.end, zone);
    if (full?.time) return atWallTime(full.date, full.time, zone);
    const clock = parseTimeOfDay(data.end)!;
    const sameDay = atWallTime(date, clock, zone);
    // "end: 01:00" after an evening start is the next morning.
    return sameDay <= start && clock.hour < 6 ? atWallTime(addDays(date, 1), clock, zone) : sameDay;
  }
  return endFromAgenda(agenda, start) ?? start.plus({ hours: DEFAULT_LENGTH_HOURS });
}
