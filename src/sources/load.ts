import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Catalogue } from '../catalogue/catalogue';
import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import type { Diagnostic } from './diagnostics';
import { parseMarkdownEvent, type ParsedFile } from './markdown';
import { loadSettings } from './settings';
import { parseYamlEvent } from './yaml-event';

export const EVENTS_DIR = 'events';

export interface LoadResult {
  catalogue: Catalogue;
  settings: CommunitySettings;
  diagnostics: Diagnostic[];
  /** Every event file (path relative to the data dir) and what is in service from it; undefined when skipped. */
  files: Map<string, MeetupEvent | undefined>;
}

/** Parsed files by path, reused while a file's text and the settings are unchanged (watch reloads). */
export type ParseCache = Map<string, { text: string; settingsKey: string; parsed: ParsedFile }>;

export interface LoadOptions {
  /** BOT_TIMEZONE override. */
  timeZone?: string;
  /**
   * The result in service before this load. A file that now has an error keeps its last good event (a typo in
   * a post must not remove the meetup), and broken settings keep the last good settings.
   */
  previous?: LoadResult;
  cache?: ParseCache;
}

const EVENT_FILE = /\.(?:md|markdown|ya?ml)$/i;

/**
 * Reads data/settings.yml and every event file under data/events/ (recursively) into a Catalogue.
 * Never throws: unreadable or broken files become diagnostics and are left out (or keep their last good event).
 */
export function loadData(dataDir: string, options: LoadOptions = {}): LoadResult {
  const { previous } = options;
  const settingsResult = loadSettings(dataDir, { timeZone: options.timeZone, previous: previous?.settings });
  const settings = settingsResult.settings;
  const diagnostics: Diagnostic[] = [...settingsResult.diagnostics];
  const files = new Map<string, MeetupEvent | undefined>();
  const settingsKey = JSON.stringify(settings);
  const keepPrevious = previous !== undefined && previous.settings.timeZone === settings.timeZone;

  const found = listEventFiles(dataDir, diagnostics);
  const byId = new Map<string, string>();
  for (const file of found) {
    const parsed = parseFile(dataDir, file, settings, settingsKey, options.cache);
    diagnostics.push(...parsed.diagnostics);
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
  if (options.cache) for (const key of options.cache.keys()) if (!files.has(key)) options.cache.delete(key);

  const events = [...files.values()].filter((e): e is MeetupEvent => e !== undefined);
  return { catalogue: new Catalogue(events), settings, diagnostics, files };
}

function parseFile(dataDir: string, file: string, settings: CommunitySettings, settingsKey: string, cache: ParseCache | undefined): ParsedFile {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, file), 'utf8');
  } catch (error) {
    return { diagnostics: [{ file, severity: 'error', message: `Cannot read this file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check that it exists and is readable.` }] };
  }
  const cached = cache?.get(file);
  if (cached && cached.text === text && cached.settingsKey === settingsKey) return cached.parsed;
  const parsed = /\.ya?ml$/i.test(file) ? parseYamlEvent(text, { file, settings }) : parseMarkdownEvent(text, { file, settings });
  cache?.set(file, { text, settingsKey, parsed });
  return parsed;
}

/**
 * Event files under data/events/, sorted so duplicates are reported the same way on every run. README.md
 * documents the folder, and Hugo's `_index.md` and dot files are not events.
 */
export function listEventFiles(dataDir: string, diagnostics: Diagnostic[] = []): string[] {
  const root = path.join(dataDir, EVENTS_DIR);
  try {
    if (!statSync(dataDir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    diagnostics.push({ file: '.', severity: 'error', message: `Data directory ${dataDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set DATA_DIR to the folder holding settings.yml and events/.` });
    return [];
  }
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.push({ file: EVENTS_DIR, severity: code === 'ENOENT' ? 'warning' : 'error', message: code === 'ENOENT' ? `No ${EVENTS_DIR}/ folder: create it and add one Markdown post or .yml file per meetup.` : `Cannot read ${EVENTS_DIR}/ (${code ?? (error as Error).message}).` });
    return [];
  }
  return entries
    .map((e) => e.split(path.sep).join('/'))
    .filter((e) => EVENT_FILE.test(e) && !e.split('/').some((part) => part.startsWith('.') || part.startsWith('_')) && !/(^|\/)readme\.md$/i.test(e))
    .sort()
    .map((e) => `${EVENTS_DIR}/${e}`);
}
