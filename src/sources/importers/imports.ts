/**
 * The imported sources of one community at run time: each fetched on its own interval, its events replaced when a
 * new copy reads well, its last good copy kept (in memory and on disk) when a fetch or the content fails. The
 * organizers hear once when a source starts failing and once when it works again, never on every retry.
 */
import { unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import type { DateTime } from 'luxon';
import type { MeetupEvent } from '../../catalogue/event';
import type { CommunitySettings } from '../../catalogue/settings';
import type { Logger } from '../../log';
import { formatDiagnostic, type Diagnostic } from '../diagnostics';
import { loadSourcesConfig, SOURCES_FILE, type ImportKind, type SourceConfig } from './config';
import { ImportError, type Importer } from './event';
import { CopyStore, fetchConditional } from './fetch';

/**
 * Loaded on first use: ical.js and fast-xml-parser cost start-up time a community without imports should not pay.
 * (`require`, not `import()`: `node -r tsx/cjs` hooks only require.)
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const IMPORTERS: Record<ImportKind, () => Importer> = {
  ics: () => (require('./calendar') as typeof import('./calendar')).importIcsCalendar,
  sched: () => (require('./sched') as typeof import('./sched')).importSchedIcs,
  pretalx: () => (require('./pretalx') as typeof import('./pretalx')).importPretalxJson,
  frab: () => (require('./pretalx') as typeof import('./pretalx')).importFrabXml,
  sessionize: () => (require('./sessionize') as typeof import('./sessionize')).importSessionize,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface ImportsOptions {
  dataDir: string;
  /** Where last good copies are kept across restarts; none keeps them in memory only. */
  cacheDir?: string;
  log: Logger;
  settings: () => CommunitySettings;
  now: () => DateTime;
  /** Tells the organizers (every platform). */
  notify: (text: string) => Promise<void>;
}

interface SourceState {
  config: SourceConfig;
  events: MeetupEvent[];
  /** Set while failing, so the organizers are told once per outage. */
  failing?: string;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

export class Imports {
  private readonly states = new Map<string, SourceState>();
  private readonly copies: CopyStore;
  private readonly listeners: Array<(events: MeetupEvent[]) => void> = [];
  private configDiagnostics: Diagnostic[] = [];
  private started = false;

  constructor(private readonly options: ImportsOptions) {
    this.copies = new CopyStore(options.cacheDir);
    this.configure();
  }

  /** Every imported event, in no particular order (the catalogue sorts). */
  events(): MeetupEvent[] {
    return [...this.states.values()].flatMap((s) => s.events);
  }

  diagnostics(): Diagnostic[] {
    return [...this.configDiagnostics];
  }

  onChange(listener: (events: MeetupEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Fetches every source now and then on its interval; follows edits of sources.yml. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const state of this.states.values()) this.schedule(state, 0);
    watchFile(this.configPath(), { persistent: false, interval: 5000 }, () => this.reconfigure());
  }

  stop(): void {
    this.started = false;
    unwatchFile(this.configPath());
    for (const state of this.states.values()) clearTimeout(state.timer);
  }

  /** Fetches one source (or all) now; resolves when done. Tests and the organizers' "refresh" use it. */
  async refresh(name?: string): Promise<void> {
    const states = [...this.states.values()].filter((s) => name === undefined || s.config.name === name);
    await Promise.all(states.map((s) => this.run(s)));
  }

  /** Re-reads sources.yml: new sources start, removed ones take their events with them, changed ones refetch. */
  reconfigure(): void {
    const before = this.events();
    this.configure();
    if (this.started) for (const state of this.states.values()) if (!state.timer && !state.running) this.schedule(state, 0);
    if (this.events().length !== before.length || this.events().some((e, i) => e !== before[i])) this.emit();
  }

  private configure(): void {
    const { sources, diagnostics } = loadSourcesConfig(this.options.dataDir);
    const fresh = diagnostics.filter((d) => !this.configDiagnostics.some((o) => formatDiagnostic(o) === formatDiagnostic(d)));
    for (const d of fresh) this.options.log[d.severity === 'error' ? 'error' : 'warn']({ file: d.file, line: d.line }, formatDiagnostic(d));
    this.configDiagnostics = diagnostics;
    // A broken sources.yml keeps the sources it had: a typo must not drop a conference from chat.
    if (diagnostics.some((d) => d.severity === 'error') && this.states.size > 0) return;
    const wanted = new Map(sources.map((s) => [s.name, s]));
    for (const [name, state] of this.states) {
      if (JSON.stringify(wanted.get(name)) === JSON.stringify(state.config)) continue;
      clearTimeout(state.timer);
      this.states.delete(name);
    }
    for (const config of sources) {
      if (this.states.has(config.name)) continue;
      const state: SourceState = { config, events: [] };
      const copy = this.copies.get(config.name);
      // The last good copy serves at once (a restart during an outage still knows the schedule).
      if (copy && copy.url === config.url) state.events = this.read(state, copy.body) ?? [];
      this.states.set(config.name, state);
    }
  }

  private schedule(state: SourceState, delayMs: number): void {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(state).finally(() => {
        if (this.started && this.states.get(state.config.name) === state) this.schedule(state, state.config.refresh);
      });
    }, delayMs);
    state.timer.unref();
  }

  private run(state: SourceState): Promise<void> {
    state.running ??= this.fetchAndRead(state).finally(() => (state.running = undefined));
    return state.running;
  }

  private async fetchAndRead(state: SourceState): Promise<void> {
    const { name, url } = state.config;
    const previous = this.copies.get(name);
    const usable = previous?.url === url ? previous : undefined;
    const outcome = await fetchConditional(url, usable, () => this.options.now().toJSDate());
    if (outcome.kind === 'not-modified') return this.recovered(state);
    if (outcome.kind === 'failed') return this.failed(state, `Fetching ${url} failed: ${outcome.reason}.`);
    const events = this.read(state, outcome.copy.body);
    if (!events) return;
    this.copies.set(name, outcome.copy);
    state.events = events;
    this.options.log.info({ source: name, events: events.length }, 'import read');
    this.emit();
    await this.recovered(state);
  }

  /** The events in a body, or undefined (and the organizers told) when the importer cannot read it. */
  private read(state: SourceState, body: string): MeetupEvent[] | undefined {
    try {
      return IMPORTERS[state.config.kind]()(body, { source: state.config, settings: this.options.settings(), now: this.options.now() });
    } catch (error) {
      const reason = error instanceof ImportError ? error.message : `the ${state.config.kind} importer failed (${(error as Error).message})`;
      void this.failed(state, `Reading ${state.config.url} as ${state.config.kind} failed: ${reason}`);
      return undefined;
    }
  }

  private async failed(state: SourceState, reason: string): Promise<void> {
    const first = state.failing === undefined;
    state.failing = reason;
    this.options.log.warn({ source: state.config.name, reason }, 'import failed');
    if (!first) return;
    const kept = state.events.length > 0 ? `The last good copy (${state.events.length} event${state.events.length === 1 ? '' : 's'}) stays in service.` : 'Nothing from it is in the calendar yet.';
    await this.tell(`Import "${state.config.name}" (${SOURCES_FILE}): ${reason} ${kept} I will try again every ${minutes(state.config.refresh)} and tell you when it works again.`);
  }

  private async recovered(state: SourceState): Promise<void> {
    if (state.failing === undefined) return;
    state.failing = undefined;
    await this.tell(`Import "${state.config.name}" (${SOURCES_FILE}) works again: ${state.events.length} event${state.events.length === 1 ? '' : 's'} from ${state.config.url}.`);
  }

  private async tell(text: string): Promise<void> {
    try {
      await this.options.notify(text);
    } catch (error) {
      this.options.log.error({ err: error }, 'could not tell the organizers about an import');
    }
  }

  private emit(): void {
    const events = this.events();
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.options.log.error({ err: error }, 'an import listener failed');
      }
    }
  }

  private configPath(): string {
    return path.join(this.options.dataDir, SOURCES_FILE);
  }
}

function minutes(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;
}
