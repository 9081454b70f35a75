import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import type { Logger } from '../log';
import { formatDiagnostic, type Diagnostic } from './diagnostics';
import { EVENTS_DIR, loadData, type LoadResult, type ParseCache } from './load';

export type ChangeListener = (catalogue: Catalogue, settings: CommunitySettings, diagnostics: Diagnostic[]) => void;

export interface DataSourceOptions {
  /** BOT_TIMEZONE override. */
  timeZone?: string;
  /** Quiet period after the last file change before reloading: editors write a file in several steps. */
  debounceMs?: number;
}

/**
 * The community's data as the bot sees it: loaded once on construction, reloaded when files under the data dir
 * change. A file that breaks keeps its last good event and broken settings keep the last good settings, so an
 * organizer's typo never takes a meetup off the calendar; the problem is logged and in diagnostics().
 */
export class DataSource {
  private result: LoadResult;
  private readonly cache: ParseCache = new Map();
  private readonly listeners: ChangeListener[] = [];
  private watchers: FSWatcher[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = true;

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly options: DataSourceOptions = {},
  ) {
    this.result = loadData(dataDir, { timeZone: options.timeZone, cache: this.cache });
    this.logDiagnostics(this.result.diagnostics, []);
    this.log.info({ events: this.result.catalogue.events.length, dataDir }, 'event data loaded');
  }

  current(): { catalogue: Catalogue; settings: CommunitySettings } {
    return { catalogue: this.result.catalogue, settings: this.result.settings };
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
    const after = loadData(this.dataDir, { timeZone: this.options.timeZone, previous: before, cache: this.cache });
    this.result = after;
    this.logDiagnostics(after.diagnostics, before.diagnostics);
    if (changed(before, after)) {
      this.log.info({ events: after.catalogue.events.length }, 'event data reloaded');
      for (const listener of this.listeners) {
        try {
          listener(after.catalogue, after.settings, after.diagnostics);
        } catch (error) {
          this.log.error({ err: error }, 'a data change listener failed');
        }
      }
    }
    return after;
  }

  /** Watches the data dir (recursively) and reloads ~200 ms after the last change. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.watchers = this.openWatchers();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private openWatchers(): FSWatcher[] {
    const onEvent = () => this.scheduleReload();
    try {
      return [this.watchOne(this.dataDir, true, onEvent)];
    } catch (error) {
      // Recursive watching is missing on some platforms and file systems: watch the two folders that matter.
      this.log.warn({ err: error }, 'recursive watch unavailable; watching data/ and data/events/ only');
      return [this.dataDir, path.join(this.dataDir, EVENTS_DIR)].flatMap((dir) => {
        try {
          return [this.watchOne(dir, false, onEvent)];
        } catch (inner) {
          this.log.error({ err: inner, dir }, 'cannot watch for data changes; restart the bot to pick up edits');
          return [];
        }
      });
    }
  }

  private watchOne(dir: string, recursive: boolean, onEvent: () => void): FSWatcher {
    const watcher = watch(dir, { recursive, persistent: false }, onEvent);
    watcher.on('error', (error) => {
      // The folder went away (e.g. replaced by a deploy): reload now and watch again once things settle.
      this.log.warn({ err: error, dir }, 'data watch failed; re-watching');
      watcher.close();
      this.watchers = this.watchers.filter((w) => w !== watcher);
      this.scheduleReload(() => {
        if (!this.stopped) this.watchers.push(...this.openWatchers());
      });
    });
    return watcher;
  }

  private scheduleReload(after?: () => void): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.reload();
      after?.();
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
