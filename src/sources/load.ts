import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Catalogue } from '../catalogue/catalogue';
import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import type { Diagnostic } from './diagnostics';
import { parseMarkdownEvent } from './markdown';
import { loadSettings } from './settings';
import { detachStrings } from './detach';
import { parseYamlEvent } from './yaml-event';
import { parseDataFile } from './data-file';
import { readLookups, type Lookups } from './lookups';
import { isSkipped, resolveProfile } from './profile';
import { keyMaker, type FileParse, type ParseCache } from './parse-cache';

export const EVENTS_DIR = 'events';

export interface LoadResult {
  catalogue: Catalogue;
  settings: CommunitySettings;
  diagnostics: Diagnostic[];
  /** Every event file (path relative to the data dir) and what is in service from it; undefined when skipped. */
  files: Map<string, MeetupEvent | undefined>;
}

export interface LoadOptions {
  /** BOT_TIMEZONE override. */
  timeZone?: string;
  /**
   * The result in service before this load. A file that now has an error keeps its last good event (a typo in
   * a post must not remove the meetup), and broken settings keep the last good settings.
   */
  previous?: LoadResult;
  /** Results of earlier loads and of the database (parse-cache.ts), by file content: unchanged files are not parsed. */
  cache?: ParseCache;
  /**
   * Where the posts are, when not `<dataDir>/events/`: a folder on disk and how its files are named in
   * diagnostics (e.g. a git checkout's `content/events`, so a problem reads `content/events/x.md:3`).
   */
  events?: EventsFolder;
  /** The folder holding settings.yml, when not dataDir (a repository that carries the bot's settings). */
  settingsDir?: string;
  /** Settings file other than `<dataDir>/settings.yml`, e.g. a community profile (validate --settings). */
  settingsFile?: string;
}

export interface EventsFolder {
  dir: string;
  prefix: string;
}

const EVENT_FILE = /\.(?:md|markdown|ya?ml|json|toml)$/i;

/**
 * Reads data/settings.yml and every event file under data/events/ (recursively) into a Catalogue.
 * Never throws: unreadable or broken files become diagnostics and are left out (or keep their last good event).
 */
export function loadData(dataDir: string, options: LoadOptions = {}): LoadResult {
  const { previous } = options;
  const folder = options.events ?? { dir: path.join(dataDir, EVENTS_DIR), prefix: EVENTS_DIR };
  const settingsResult = loadSettings(options.settingsDir ?? dataDir, { timeZone: options.timeZone, previous: previous?.settings, path: options.settingsFile });
  const settings = settingsResult.settings;
  const diagnostics: Diagnostic[] = [...settingsResult.diagnostics];
  const files = new Map<string, MeetupEvent | undefined>();
  const profile = resolveProfile(settings);
  const lookups = readLookups(folder.dir, folder.prefix, profile, diagnostics);
  // Posts that name a lookup id read differently when its file changes: the lookups are part of the key.
  const keyOf = options.cache ? keyMaker(JSON.stringify([settings, [...lookups.speakers], [...lookups.venues]])) : undefined;
  const keepPrevious = previous !== undefined && previous.settings.timeZone === settings.timeZone;

  const relative = (file: string) => (folder.prefix ? file.slice(folder.prefix.length + 1) : file);
  const found = (options.events ? listFolderEventFiles(folder, diagnostics) : listEventFiles(dataDir, diagnostics)).filter((f) => !isSkipped(profile, relative(f)));
  const byId = new Map<string, string>();
  for (const file of found) {
    const parsed = parseFile(path.join(folder.dir, relative(file)), file, { settings, lookups }, options.cache && keyOf && { cache: options.cache, keyOf });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.events && parsed.events.length !== 1) {
      // A data file listing many events: each is in service under "<file>#<id>".
      for (const e of parsed.events) files.set(`${file}#${e.id}`, byId.has(e.id) ? undefined : (byId.set(e.id, file), e));
      continue;
    }
    let event = parsed.event;
    const last = keepPrevious ? previous.files.get(file) : undefined;
    if (!event && !parsed.draft && last && parsed.diagnostics.some((d) => d.severity === 'error')) {
      event = last;
      diagnostics.push({ file, severity: 'warning', message: `Keeping the last good version of "${last.title}" (${last.start.toISODate()}) until the error above is fixed.` });
    }
    if (event) {
      const other = byId.get(event.id);
      if (other) {
        diagnostics.push({ file, severity: 'error', message: `Event id "${event.id}" is already used by ${other}: rename one of the files (the id is the file name without extension).` });
        event = undefined;
      } else {
        byId.set(event.id, file);
      }
    }
    files.set(file, event);
  }
  options.cache?.retain(new Set(found));

  const events = [...files.values()].filter((e): e is MeetupEvent => e !== undefined);
  return { catalogue: new Catalogue(events), settings, diagnostics, files };
}

function parseFile(fullPath: string, file: string, context: { settings: CommunitySettings; lookups: Lookups }, caching: { cache: ParseCache; keyOf: (file: string, bytes: Buffer) => string } | undefined): FileParse {
  let bytes: Buffer;
  try {
    bytes = readFileSync(fullPath);
  } catch (error) {
    return { diagnostics: [{ file, severity: 'error', message: `Cannot read this file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check that it exists and is readable.` }] };
  }
  // Known by its bytes, so an unchanged file is not even decoded.
  const key = caching?.keyOf(file, bytes);
  const cached = key === undefined ? undefined : caching!.cache.get(file, key);
  if (cached) return cached;
  // The result keeps none of the file's text (see detach.ts), and the cache knows the text by its digest.
  const text = bytes.toString('utf8');
  const parsed = detachStrings(readerFor(file, context.settings, text)(text, { file, ...context }));
  if (key !== undefined) caching!.cache.set(file, key, parsed);
  return parsed;
}

/**
 * Posts are Markdown; JSON and TOML are data files; YAML is the bot's own event format (one meetup per file) unless
 * the profile maps data files or the file is a list of meetups (`- title: ...` at the top, or under `events:`), as
 * Jekyll's `_data/events.yml` and Hugo's data files are.
 */
function readerFor(file: string, settings: CommunitySettings, text: string): (text: string, options: { file: string; settings: CommunitySettings; lookups: Lookups }) => FileParse {
  if (/\.(?:json|toml)$/i.test(file)) return parseDataFile;
  if (!/\.ya?ml$/i.test(file)) return parseMarkdownEvent;
  return settings.source?.dataFiles || listsMeetups(text, resolveProfile(settings).dataFields.lists) ? parseDataFile : parseYamlEvent;
}

/** Whether a YAML file's first entry is a list item or one of the profile's list keys (`events:`, `upcoming:`). */
function listsMeetups(text: string, listKeys: readonly string[]): boolean {
  const first = text.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '' && !/^\s*(?:#|---\s*$)/.test(l));
  if (first === undefined) return false;
  const key = /^([\w-]+):\s*(?:#.*)?$/.exec(first.trimEnd())?.[1];
  return /^-(?:\s|$)/.test(first) || (key !== undefined && listKeys.includes(key));
}

/**
 * Event files under data/events/, sorted so duplicates are reported the same way on every run. The folder's own
 * README.md documents it (a README.md one folder down is a city's or a meetup's page, as sites built from GitHub
 * folders have them), and Hugo's `_index.md` and dot files are not events.
 */
export function listEventFiles(dataDir: string, diagnostics: Diagnostic[] = []): string[] {
  try {
    if (!statSync(dataDir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    diagnostics.push({ file: '.', severity: 'error', message: `Data directory ${dataDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set DATA_DIR to the folder holding settings.yml and events/.` });
    return [];
  }
  return listFolderEventFiles({ dir: path.join(dataDir, EVENTS_DIR), prefix: EVENTS_DIR }, diagnostics);
}

/**
 * Event files in one folder, recursively, named `<prefix>/<relative path>`. Hugo layouts as they are: a page
 * bundle (`<name>/index.md`) is one post and the other Markdown beside its index.md are its resources, not
 * posts; `_index.md` (section pages), images and other files are skipped without a word.
 */
export function listFolderEventFiles(folder: EventsFolder, diagnostics: Diagnostic[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder.dir, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.push({ file: folder.prefix, severity: code === 'ENOENT' ? 'warning' : 'error', message: code === 'ENOENT' ? `No ${folder.prefix}/ folder: create it and add one Markdown post or .yml file per meetup.` : `Cannot read ${folder.prefix}/ (${code ?? (error as Error).message}).` });
    return [];
  }
  const files = entries
    .map((e) => e.split(path.sep).join('/'))
    .filter((e) => EVENT_FILE.test(e) && !e.split('/').some((part) => part.startsWith('.') || part.startsWith('_')) && !/^readme\.md$|(^|\/)(?:settings\.ya?ml|announcements\.ya?ml|package(?:-lock)?\.json)$/i.test(e));
  const bundles = new Set(files.filter((e) => /(^|\/)index\.(md|markdown)$/i.test(e)).map((e) => e.slice(0, e.lastIndexOf('/') + 1)));
  return files
    .filter((e) => /(^|\/)index\.(md|markdown)$/i.test(e) || ![...bundles].some((dir) => dir !== '' && e.startsWith(dir)))
    .sort()
    .map((e) => (folder.prefix ? `${folder.prefix}/${e}` : e));
}
