/**
 * Parsed files remembered by their content, so a reload (in memory) or a restart (rows read from the database
 * before the load, see parse-cache-store.ts) does not parse an unchanged post again. A file's key is a digest of
 * the reader's own code, the community's settings (its source profile included) and lookups, the file's path and
 * its bytes: a code, settings or one-byte change reads the file anew. A stored result is only used when its
 * checksum and shape hold; anything else is parsed again (a damaged row costs a parse, never a wrong event).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { MeetupEvent } from '../catalogue/event';
import type { Diagnostic } from './diagnostics';
import type { ParsedFile } from './markdown';

/** What reading one file gives: one event, or a data file's many. */
export type FileParse = ParsedFile & { events?: MeetupEvent[] };

/** A database row as read: the key it was parsed under and the result as JSON, with the checksum written beside it. */
export interface StoredParse {
  key: string;
  result: string;
  checksum: string;
}

/** What to write after a load: new or changed files' results, and the rows of files that are gone. */
export interface CacheChanges {
  put: { file: string; stored: StoredParse }[];
  removed: { file: string; key: string }[];
}

/** Bump when the JSON shape below changes (the code fingerprint would catch it too; this says it on purpose). */
const FORMAT = 1;

export class ParseCache {
  private readonly entries = new Map<string, { key: string; parsed: FileParse }>();
  /** Rows read from the database before the first load, each consulted once and then let go (they hold JSON). */
  private readonly rows: Map<string, StoredParse>;
  /** The key of each file's row in the database, as far as this process knows: rows read at start, then writes. */
  private readonly persisted = new Map<string, string>();
  private writing: Promise<void> = Promise.resolve();
  /** Files actually parsed (found neither in memory nor in an intact stored row) since this cache was made. */
  parses = 0;

  /** Takes the rows over: they are emptied after the first load, so their JSON is not kept for the process's life. */
  constructor(stored: Map<string, StoredParse> = new Map()) {
    this.rows = stored;
    for (const [file, row] of stored) this.persisted.set(file, row.key);
  }

  /** The file's result under `key`: from memory, else from its stored row when that row is intact. */
  get(file: string, key: string): FileParse | undefined {
    const entry = this.entries.get(file);
    if (entry?.key === key) return entry.parsed;
    const row = this.rows.get(file);
    if (!row) return undefined;
    this.rows.delete(file);
    if (row.key !== key) return undefined;
    const parsed = reviveParse(row, file);
    if (parsed) this.entries.set(file, { key, parsed });
    // A damaged row is written again with the new parse.
    else this.persisted.delete(file);
    return parsed;
  }

  set(file: string, key: string, parsed: FileParse): void {
    this.parses++;
    this.entries.set(file, { key, parsed });
  }

  /** Forgets every file but `files` (those of the last load) and the stored rows no file asked for. */
  retain(files: ReadonlySet<string>): void {
    for (const file of this.entries.keys()) if (!files.has(file)) this.entries.delete(file);
    this.rows.clear();
  }

  files(): string[] {
    return [...this.entries.keys()];
  }

  /** What the database lacks or holds in excess, so it holds exactly the current files' results. */
  changes(): CacheChanges {
    const put: CacheChanges['put'] = [];
    for (const [file, { key, parsed }] of this.entries) {
      if (this.persisted.get(file) === key) continue;
      const result = serializeParse(parsed);
      put.push({ file, stored: { key, result, checksum: checksumOf(file, key, result) } });
    }
    const removed = [...this.persisted].filter(([file]) => !this.entries.has(file)).map(([file, key]) => ({ file, key }));
    return { put, removed };
  }

  /** Writes changes() through `save` once any earlier write is done, and notes what reached the database. */
  persist(save: (changes: CacheChanges) => Promise<void>): Promise<void> {
    const next = this.writing.then(async () => {
      const changes = this.changes();
      await save(changes);
      this.saved(changes);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  private saved(changes: CacheChanges): void {
    for (const { file, stored } of changes.put) this.persisted.set(file, stored.key);
    for (const { file, key } of changes.removed) if (this.persisted.get(file) === key) this.persisted.delete(file);
  }
}

/** Key of every file of one load: settings and lookups hashed once, then each file's path and bytes. */
export function keyMaker(settingsKey: string): (file: string, bytes: Buffer) => string {
  const base = createHash('sha256').update(readerFingerprint()).update('\0').update(settingsKey).digest();
  return (file, bytes) => createHash('sha256').update(base).update(file).update('\0').update(bytes).digest('base64');
}

export function checksumOf(file: string, key: string, result: string): string {
  return createHash('sha256').update(file).update('\0').update(key).update('\0').update(result).digest('base64');
}

let fingerprint: string | undefined;

/**
 * The reader's code as it runs: this folder and the event model (compiled or not), the installed libraries
 * (package-lock.json) and Node (its time zone data). Any change to them reads every file anew, with no version
 * number for a developer to remember to bump.
 */
export function readerFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256').update(`format ${FORMAT} node ${process.version}`);
  for (const dir of [__dirname, path.join(__dirname, '..', 'catalogue')]) {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(?:js|ts)$/.test(f) && !f.endsWith('.d.ts')).sort();
    for (const file of files) hash.update(file).update(readFileSync(path.join(dir, file)));
  }
  for (let dir = __dirname, up = 0; up < 5; up++, dir = path.dirname(dir)) {
    const lock = path.join(dir, 'package-lock.json');
    if (existsSync(lock)) {
      hash.update(readFileSync(lock));
      break;
    }
  }
  return (fingerprint = hash.digest('base64'));
}

// ----- the JSON form ---------------------------------------------------------------------------------------------

/** Luxon DateTimes become `{"$dt": ISO with offset, "z": zone name}`; everything else in a result is plain data. */
export function serializeParse(parsed: FileParse): string {
  const single = parsed.events?.length === 1 && parsed.event === parsed.events[0];
  const shape = { v: FORMAT, diagnostics: parsed.diagnostics, draft: parsed.draft, events: parsed.events, event: single ? 0 : parsed.event };
  return JSON.stringify(shape, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return DateTime.isDateTime(raw) ? { $dt: raw.toISO(), z: raw.zoneName } : value;
  });
}

/** The result a row holds, or undefined when its checksum, JSON or shape is not what this code writes. */
export function reviveParse(row: StoredParse, file: string): FileParse | undefined {
  if (row.checksum !== checksumOf(file, row.key, row.result)) return undefined;
  try {
    const data = revive(JSON.parse(row.result) as object) as { v?: unknown; diagnostics?: unknown; draft?: unknown; events?: unknown; event?: unknown };
    if (data.v !== FORMAT || !Array.isArray(data.diagnostics) || !data.diagnostics.every(isDiagnostic)) return undefined;
    if (data.events !== undefined && !(Array.isArray(data.events) && data.events.every(isEvent))) return undefined;
    const events = data.events as MeetupEvent[] | undefined;
    const event = data.event === 0 ? events?.[0] : data.event;
    if (event !== undefined && !isEvent(event)) return undefined;
    return { diagnostics: data.diagnostics, ...(event ? { event } : {}), ...(events ? { events } : {}), ...(data.draft === true ? { draft: true } : {}) };
  } catch {
    return undefined;
  }
}

/** Tagged times become DateTimes, in place; only objects are visited (most values are strings). */
function revive(node: object): unknown {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const value: unknown = node[i];
      if (typeof value === 'object' && value !== null) node[i] = revive(value);
    }
    return node;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.$dt === 'string') return dateTimeAt(record.$dt, String(record.z));
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'object' && value !== null) record[key] = revive(value);
  }
  return record;
}

/** The instant of `iso` in `zoneName` (luxon keeps each named zone once); a row that does not give back both is not trusted. */
function dateTimeAt(iso: string, zoneName: string): DateTime {
  const ts = Date.parse(iso);
  const time = DateTime.fromMillis(ts, { zone: zoneName });
  if (!time.isValid || time.toMillis() !== ts || time.zoneName !== zoneName) throw new Error(`not a date-time: ${iso} ${zoneName}`);
  return time;
}

const SEVERITIES = new Set(['error', 'warning', 'info']);

function isDiagnostic(d: unknown): d is Diagnostic {
  const r = d as Partial<Diagnostic> | null;
  return r !== null && typeof r === 'object' && typeof r.file === 'string' && typeof r.message === 'string' && SEVERITIES.has(r.severity as string) && (r.line === undefined || Number.isInteger(r.line));
}

const isTime = (t: unknown) => DateTime.isDateTime(t) && t.isValid;

/** The fields every consumer of an event relies on, with the types they rely on. */
function isEvent(e: unknown): e is MeetupEvent {
  const r = e as Partial<MeetupEvent> | null;
  if (r === null || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.title !== 'string') return false;
  if (!isTime(r.start) || !isTime(r.end) || (r.status !== 'scheduled' && r.status !== 'cancelled')) return false;
  if (![r.agenda, r.talks, r.slides, r.recordings].every(Array.isArray) || typeof r.source?.file !== 'string') return false;
  return r.agenda!.every((a) => typeof a?.title === 'string' && (a.start === undefined || isTime(a.start))) && r.talks!.every((t) => typeof t?.title === 'string' && Array.isArray(t.speakers) && Array.isArray(t.slides) && (t.start === undefined || isTime(t.start)));
}
