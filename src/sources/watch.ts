import { readdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import type { Logger } from '../log';
import { formatDiagnostic, type Diagnostic } from './diagnostics';
import { EVENTS_DIR, loadData, type EventsFolder, type LoadResult } from './load';
import { ParseCache, type CacheChanges, type StoredParse } from './parse-cache';
import type { MeetupEvent } from '../catalogue/event';
import { withImported } from './importers/merge';
import type { Removals } from './removals';

export type ChangeListener = (catalogue: Catalogue, settings: CommunitySettings, diagnostics: Diagnostic[]) => void;

export interface DataSourceOptions {
  /** BOT_TIMEZONE override. */
  timeZone?: string;
  /** Quiet period after the last file change before reloading: editors write a file in several steps. */
  debounceMs?: number;
  /** The posts' folder when not `<dataDir>/events/` (EVENTS_SOURCE and EVENTS_PATH). */
  events?: EventsFolder;
  /** Where settings.yml is read from, asked on every load (a repository's copy wins over the data folder's). */
  settingsDir?: () => string;
  /**
   * false for a git checkout: it changes only when the follower has checked out a whole new revision and
   * calls reload() itself, never half-way through a checkout. The data folder is watched either way.
   */
  watchEvents?: boolean;
  /** Holds upcoming meetups whose post was deleted until an organizer confirms (see removals.ts). */
  removals?: Removals;
  /** Parse results kept between runs (parse-cache-store.ts): the rows read before the first load, and where to write. */
  storedParses?: { rows: Map<string, StoredParse>; save: (changes: CacheChanges) => Promise<void> };
}

/**
 * The community's data as the bot sees it: loaded once on construction, reloaded when files under the data dir
 * change. A file that breaks keeps its last good event and broken settings keep the last good settings, so an
 * organizer's typo never takes a meetup off the calendar; the problem is logged and in diagnostics().
 */
export class DataSource {
  private result: LoadResult;
  private readonly cache: ParseCache;
  private saving: Promise<void> = Promise.resolve();
  private readonly listeners: ChangeListener[] = [];
  private imported: readonly MeetupEvent[] = [];
  private merged?: Catalogue;
  /** One watcher per folder, by path. */
  private readonly watchers = new Map<string, FSWatcher>();
  private timer?: NodeJS.Timeout;
  private stopped = true;

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly options: DataSourceOptions = {},
  ) {
    this.cache = new ParseCache(options.storedParses?.rows);
    this.result = loadData(dataDir, this.loadOptions());
    this.saveParses();
    options.removals?.reconcile(undefined, this.result.catalogue.events);
    // A confirmation changes what is served without any file changing.
    options.removals?.onChange(() => {
      this.merged = undefined;
      this.notify(this.result);
    });
    this.logDiagnostics(this.result.diagnostics, []);
    this.log.info({ events: this.result.catalogue.events.length, parsed: this.cache.parses, dataDir }, 'event data loaded');
  }

  current(): { catalogue: Catalogue; settings: CommunitySettings } {
    return { catalogue: this.catalogue(), settings: this.result.settings };
  }

  /**
   * Events from imported calendars and schedules (src/sources/importers), served beside the files' events until
   * the next call; listeners hear about it like a reload.
   */
  setImported(events: readonly MeetupEvent[]): void {
    this.imported = events;
    this.merged = undefined;
    this.notify(this.result);
  }

  /** The files' catalogue with the imported events, built once per change. */
  private catalogue(): Catalogue {
    if (!this.merged) {
      const held = this.options.removals?.events() ?? [];
      const { catalogue, clashes } = withImported(this.result.catalogue, [...held, ...this.imported]);
      for (const e of clashes) this.log.warn({ id: e.id, source: e.source.file }, `imported event id "${e.id}" is already used by another event: the import is left out (rename the source in sources.yml)`);
      this.merged = catalogue;
    }
    return this.merged;
  }

  private notify(result: LoadResult): void {
    for (const listener of this.listeners) {
      try {
        listener(this.catalogue(), result.settings, result.diagnostics);
      } catch (error) {
        this.log.error({ err: error }, 'a data change listener failed');
      }
    }
  }

  diagnostics(): Diagnostic[] {
    return [...this.result.diagnostics];
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Reads everything again now; listeners hear about it when an event, the settings or a diagnostic changed. */
  reload(): LoadResult {
    const before = this.result;
    const after = loadData(this.dataDir, { ...this.loadOptions(), previous: before });
    this.result = after;
    this.saveParses();
    this.merged = undefined;
    const held = this.options.removals?.reconcile(before.catalogue.events, after.catalogue.events) ?? false;
    this.logDiagnostics(after.diagnostics, before.diagnostics);
    if (changed(before, after) || held) {
      this.log.info({ events: after.catalogue.events.length, files: changedFiles(before, after) }, 'event data reloaded');
      this.notify(after);
    }
    return after;
  }

  /**
   * Watches data/, events/ and every folder under it, and reloads ~200 ms after the last change. A folder's watcher
   * hears about every file in it. (Node 20's recursive watch on Linux opens one watcher per file, stats each, and
   * reports every existing file as new, which meant a needless full reload right after start.)
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.watchFolders();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** Parse results written since the last load have reached the database (or failed to, which is logged). */
  flushed(): Promise<void> {
    return this.saving;
  }

  /** Stores what the last load parsed and drops removed files' rows, in the background, one write after another. */
  private saveParses(): void {
    const store = this.options.storedParses;
    // Only the next start's speed depends on it: the posts are read and served either way.
    if (store) this.saving = this.cache.persist(store.save).catch((err: unknown) => this.log.warn({ err }, 'could not store the parsed posts; the next start parses them again'));
  }

  private loadOptions() {
    return { timeZone: this.options.timeZone, cache: this.cache, events: this.options.events, settingsDir: this.options.settingsDir?.() };
  }

  /** Watches the folders there are now and lets go of those that are gone; runs at start and after each reload. */
  private watchFolders(): void {
    if (this.stopped) return;
    const events = this.options.events?.dir ?? path.join(this.dataDir, EVENTS_DIR);
    const settingsDir = this.options.settingsDir?.() ?? this.dataDir;
    const folders = new Set([this.dataDir, settingsDir, ...(this.options.watchEvents === false ? [] : eventFolders(events))]);
    for (const [folder, watcher] of this.watchers) {
      if (folders.has(folder)) continue;
      watcher.close();
      this.watchers.delete(folder);
    }
    for (const folder of folders) {
      if (this.watchers.has(folder)) continue;
      try {
        this.watchers.set(folder, this.watchFolder(folder));
      } catch (error) {
        // Gone between listing and watching: the reload its removal triggers settles the set.
        this.log.warn({ err: error, folder }, 'cannot watch this folder for data changes');
      }
    }
  }

  private watchFolder(folder: string): FSWatcher {
    const watcher = watch(folder, { persistent: false }, () => this.scheduleReload());
    watcher.on('error', (error) => {
      // The folder went away (e.g. replaced by a deploy): reload, which watches whatever is there then.
      this.log.warn({ err: error, folder }, 'data watch failed; re-watching after a reload');
      watcher.close();
      this.watchers.delete(folder);
      this.scheduleReload();
    });
    return watcher;
  }

  private scheduleReload(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.reload();
      this.watchFolders();
    }, this.options.debounceMs ?? 200);
  }

  /** Logs what is new since the last load, so an unchanged warning is not repeated on every save. */
  private logDiagnostics(now: readonly Diagnostic[], before: readonly Diagnostic[]): void {
    const seen = new Set(before.map(formatDiagnostic));
    for (const d of now) {
      const text = formatDiagnostic(d);
      if (seen.has(text)) continue;
      const fields = { file: d.file, line: d.line };
      if (d.severity === 'error') this.log.error(fields, text);
      else if (d.severity === 'warning') this.log.warn(fields, text);
      else this.log.debug(fields, text);
    }
  }
}

function changed(before: LoadResult, after: LoadResult): boolean {
  if (before.settings !== after.settings && JSON.stringify(before.settings) !== JSON.stringify(after.settings)) return true;
  if (before.files.size !== after.files.size) return true;
  for (const [file, event] of after.files) if (before.files.get(file) !== event || !before.files.has(file)) return true;
  const text = (ds: readonly Diagnostic[]) => ds.map(formatDiagnostic).join('\n');
  return text(before.diagnostics) !== text(after.diagnostics);
}

/** Event files whose event in service is new, different or gone: what a reload changed, for the log. */
function changedFiles(before: LoadResult, after: LoadResult): string[] {
  const files = [...after.files.keys()].filter((file) => !before.files.has(file) || before.files.get(file) !== after.files.get(file));
  return [...files, ...[...before.files.keys()].filter((file) => !after.files.has(file))].sort();
}

/** Every folder under the events folder (none when it is missing: the data/ watcher sees it appear). */
function eventFolders(root: string): string[] {
  try {
    const entries = readdirSync(root, { recursive: true, withFileTypes: true });
    return [root, ...entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name))];
  } catch {
    return [];
  }
}
