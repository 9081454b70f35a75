/**
 * Data files that hold events as records rather than posts: one JSON file per meeting (Astro), a YAML list of all
 * events (Jekyll `_data/events.yml`), a TOML file with `[[upcoming]]`/`[[past]]` tables (Zola). Which keys hold
 * what comes from the profile's `dataFiles` block (README "Source profile"); nothing here knows a community.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { NO_LOOKUPS, resolveId, type Lookups } from './lookups';
import { agendaOf, recordEnd, talksFromAgenda } from './data-agenda';
import { issueLine, parseLocatedYaml, tooLarge, yamlErrorDiagnostics, yamlToJs, type Diagnostic } from './diagnostics';
import { tomlToText } from './front-matter';
import { eventUrl } from './links';
import { safeUrl } from '../catalogue/safe-url';
import type { ParsedFile } from './markdown';
import { firstValue, resolveProfile, type DataFields, type Profile } from './profile';
import { recordText as text, talksFromRecords } from './record-talks';
import { fieldWallDateTime } from './written-date';
import { addDays, atWallTime, isoDate, parseTimeOfDay } from './time';

export interface DataFileOptions {
  file: string;
  settings: CommunitySettings;
  /** Names for the ids posts use (speakers/<id>.yaml); none when the profile has no lookups. */
  lookups?: Lookups;
}

/** Every event in one data file, with diagnostics; a record that cannot be read is skipped with an error at its line. */
export function readDataFile(text: string, options: DataFileOptions): { events: MeetupEvent[]; diagnostics: Diagnostic[] } {
  const { file } = options;
  const size = tooLarge(text, file);
  if (size) return { events: [], diagnostics: [size] };
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parsed = parseData(source, file);
  if (parsed.diagnostics.length > 0) return { events: [], diagnostics: parsed.diagnostics };
  const profile = resolveProfile(options.settings);
  const fields = profile.dataFields;
  const records = recordsOf(parsed.value, fields);
  const diagnostics: Diagnostic[] = [];
  const events: MeetupEvent[] = [];
  records.forEach((record, index) => {
    const keyLine = (key: string | undefined) => (key === undefined ? undefined : parsed.line([...record.path, ...key.split('.')]));
    const event = toEvent(record, index, records.length, options, profile, keyLine, (d) => diagnostics.push({ ...d, file, line: d.line ?? parsed.line(record.path) }));
    if (event) events.push(event);
  });
  return { events, diagnostics };
}

/** The same, shaped like one post's result, for a data file that holds a single event (one JSON per meeting). */
export function parseDataFile(text: string, options: DataFileOptions): ParsedFile & { events: MeetupEvent[] } {
  let read: { events: MeetupEvent[]; diagnostics: Diagnostic[] };
  try {
    read = readDataFile(text, options);
  } catch (error) {
    // A bug in the reader must not stop the other files from loading; fuzz.test.ts calls readDataFile without this.
    return { events: [], diagnostics: [{ file: options.file, severity: 'error', message: `Could not read this file (${error instanceof Error ? error.message : String(error)}). Please report it to the bot's maintainers with the file.` }] };
  }
  const { events, diagnostics } = read;
  return { event: events.length === 1 ? events[0] : undefined, events, diagnostics };
}

interface Parsed {
  value?: unknown;
  diagnostics: Diagnostic[];
  line: (path: (string | number)[]) => number | undefined;
}

function parseData(text: string, file: string): Parsed {
  const noLine = () => undefined;
  if (/\.json$/i.test(file)) {
    try {
      const value: unknown = JSON.parse(text);
      // JSON is YAML 1.2: the yaml library's ranges give each record and key its line.
      const located = parseLocatedYaml(text);
      return { value, diagnostics: [], line: located.doc.errors.length === 0 ? (path) => issueLine(located, path) : noLine };
    } catch (error) {
      const at = /position (\d+)/.exec(String(error))?.[1];
      const line = at === undefined ? undefined : text.slice(0, Number(at)).split('\n').length;
      return { diagnostics: [{ file, line, severity: 'error', message: `Not valid JSON: ${(error as Error).message}. Check commas and quotes on this line.` }], line: noLine };
    }
  }
  if (/\.toml$/i.test(file)) {
    try {
      return { value: tomlToText(parseToml(text)), diagnostics: [], line: (path) => tomlLine(text, path) };
    } catch (error) {
      return { diagnostics: [{ file, line: error instanceof TomlError ? error.line : undefined, severity: 'error', message: `Not valid TOML: ${(error as Error).message.split('\n')[0]}.` }], line: noLine };
    }
  }
  const located = parseLocatedYaml(text);
  const syntax = yamlErrorDiagnostics(located, file, 'This data file');
  if (syntax.length > 0) return { diagnostics: syntax, line: noLine };
  const js = yamlToJs(located, file, 'This data file');
  return { value: js.value, diagnostics: js.diagnostics, line: (path) => issueLine(located, path) };
}

/**
 * smol-toml keeps no positions: a record of `[[past]]` number i is found at the i-th `[[past]]` header, and a
 * key of it at its `key =` line below that header (a record of a top-level table, at its key line).
 */
function tomlLine(text: string, path: readonly (string | number)[]): number | undefined {
  const rows = text.split('\n');
  let from = 0;
  const [table, index, key] = path;
  if (typeof table === 'string' && typeof index === 'number') {
    let seen = -1;
    const header = new RegExp(`^\\s*\\[\\[\\s*["']?${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*\\]\\]`);
    from = rows.findIndex((r) => header.test(r) && ++seen === index);
    if (from < 0) return undefined;
    if (typeof key !== 'string') return from + 1;
    for (let i = from + 1; i < rows.length && !/^\s*\[/.test(rows[i]!); i++) if (new RegExp(`^\\s*["']?${key}["']?\\s*=`).test(rows[i]!)) return i + 1;
    return from + 1;
  }
  const top = typeof table === 'string' ? rows.findIndex((r) => new RegExp(`^\\s*["']?${table}["']?\\s*=`).test(r)) : -1;
  return top >= 0 ? top + 1 : undefined;
}

interface DataRecord {
  value: Record<string, unknown>;
  path: (string | number)[];
}

/** A list at the top, lists under the profile's `lists` keys, or the file itself as one record. */
function recordsOf(value: unknown, fields: DataFields): DataRecord[] {
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(value)) return value.flatMap((v, i) => (isRecord(v) ? [{ value: v, path: [i] }] : []));
  if (!isRecord(value)) return [];
  const lists = fields.lists.filter((key) => Array.isArray(value[key]));
  if (lists.length === 0) return [{ value, path: [] }];
  return lists.flatMap((key) => (value[key] as unknown[]).flatMap((v, i) => (isRecord(v) ? [{ value: v, path: [key, i] }] : [])));
}

type Report = (d: Omit<Diagnostic, 'file'>) => void;

function toEvent(record: DataRecord, index: number, count: number, options: DataFileOptions, profile: Profile, keyLine: (key: string | undefined) => number | undefined, report: Report): MeetupEvent | undefined {
  const f = profile.dataFields;
  const zone = options.settings.timeZone;
  const r = record.value;
  const title = text(r, f.title);
  const when = text(r, f.eventDate);
  const wall = when ? fieldWallDateTime(when, zone, profile.languages) : undefined;
  const name = title ?? `record ${index + 1}`;
  const dateLine = keyLine(firstValue(r, f.eventDate)?.path);
  if (!wall) {
    report({ severity: 'error', line: dateLine, message: `"${name}" has ${when ? `a date that cannot be read ("${when}")` : 'no date'}: write ${f.eventDate[0] ?? 'date'} as 2024-07-10 or "2024-07-10 18:30".` });
    return undefined;
  }
  if (wall.offsetMismatch) report({ severity: 'warning', line: dateLine, message: `"${name}" says ${wall.offsetMismatch.written}, but ${zone} is ${wall.offsetMismatch.actual} on ${isoDate(wall.date)}: using the wall time as written.` });
  const startText = text(r, f.start);
  const time = wall.time ?? (startText ? parseTimeOfDay(startText) : undefined) ?? profile.defaultStart;
  const start = atWallTime(wall.date, time, zone);
  const fileId = options.file.split('/').pop()!.replace(/\.[^.]+$/, '');
  const ownId = text(r, f.id);
  const id = count === 1 && !ownId ? fileId : `${fileId}-${ownId ?? isoDate(wall.date)}`;
  const agendaLine = keyLine(firstValue(r, f.agenda)?.path);
  const agendaText = text(r, f.agenda);
  const read = agendaOf(agendaText, wall.date, zone, (d) => report({ ...d, line: agendaLine }));
  const agenda = read.agenda;
  const endText = text(r, f.end);
  const endTime = endText ? parseTimeOfDay(endText) : undefined;
  const end = endTime ? atWallTime(endTime.hour < time.hour ? addDays(wall.date, 1) : wall.date, endTime, zone) : recordEnd(agendaText, read, wall.date, start, zone, profile);
  const lookups = options.lookups ?? NO_LOOKUPS;
  // `location: { name: Acme, address: ... }`: a venue written as a map of its own.
  const place = firstValue(r, f.venue)?.value;
  const placeMap = place !== null && typeof place === 'object' && !Array.isArray(place) ? place : undefined;
  const written = placeMap ? text(placeMap, ['name', 'title']) : text(r, f.venue);
  const venueText = written === undefined ? undefined : resolveId(lookups.venues, written);
  // A record without a venue, or with "online" as its venue, meets online (at the profile's link, if any).
  const online = text(r, f.online) ?? (!venueText || /^online$/i.test(venueText) ? profile.onlineLink : undefined);
  const cancelledTitle = profile.cancelledTitle;
  const listed = talksFromRecords(firstValue(r, f.talks)?.value, f, profile, lookups);
  return {
    id,
    title: (title ?? name).replace(cancelledTitle, '').trim(),
    start,
    end: end > start ? end : start.plus({ minutes: profile.defaultDurationMinutes }),
    dateSource: 'yaml',
    venue: venueText && !/^online$/i.test(venueText) ? venueText : undefined,
    address: text(r, f.address) ?? (placeMap ? text(placeMap, f.address) : undefined),
    online: online || undefined,
    agenda,
    talks: listed.length > 0 ? listed : talksFromAgenda(agenda, profile),
    slides: [],
    recordings: [],
    url: safeUrl(text(r, f.url), options.settings.website) ?? eventUrl(options.settings, id),
    status: title && cancelledTitle.test(title) ? 'cancelled' : 'scheduled',
    source: { file: options.file },
  };
}

