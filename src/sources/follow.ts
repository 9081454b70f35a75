import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { message, time, type MessageModel } from '../chat/message';
import type { Diagnostic } from './diagnostics';
import { redactUrl, type GitCheckout, type Revision, type SyncResult } from './git';
import { eventChanges, pushReport } from './push-report';
import type { DataSource } from './watch';
import type { Removals } from './removals';

export interface FollowerStatus {
  source: string;
  branch: string;
  revision?: Revision;
  lastFetchAt?: string;
  lastError?: string;
  nextRetryAt?: string;
}

/** Tells the organizers once per key, e.g. `git:revision:<sha>`. */
export type OrganizerReport = (key: string, message: MessageModel) => Promise<void>;

export interface GitFollowerOptions {
  checkout: GitCheckout;
  data: DataSource;
  url: string;
  branch: string;
  /** 0: fetch only on webhooks (and retry failures every RETRY_MINUTES). */
  pollMinutes: number;
  clock: Clock;
  log: Logger;
  /** Reaches the organizers' channels; the same key is delivered once (the outbox's guarantee). */
  notify: OrganizerReport;
  /** Deleted posts of upcoming meetups held until confirmed: the report says which a revision removed. */
  removals?: Removals;
  /** Problems outside the events the report must name too (announcements.yml). */
  extraDiagnostics?: () => Diagnostic[];
}

/** With polling off, a failed fetch is still retried this often until it works. */
const RETRY_MINUTES = 5;

/**
 * Follows the website's branch: fetches on an interval and whenever a push webhook says so, reloads the data
 * source when a new revision is checked out, and tells the organizers what the push did. A failed fetch leaves
 * the last good revision in service and is reported once (with the next try), and its end once.
 */
export class GitFollower {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private failing = false;
  private lastFetchAt?: DateTime;
  private lastError?: string;
  private nextRetryAt?: DateTime;
  private stopped = true;
  private extraBefore: Diagnostic[] = [];

  constructor(private readonly options: GitFollowerOptions) {
    this.extraBefore = options.extraDiagnostics?.() ?? [];
  }

  status(): FollowerStatus {
    return {
      source: redactUrl(this.options.url),
      branch: this.options.branch,
      revision: this.options.checkout.revision(),
      lastFetchAt: this.lastFetchAt?.toUTC().toISO() ?? undefined,
      lastError: this.lastError,
      nextRetryAt: this.failing ? (this.nextRetryAt?.toUTC().toISO() ?? undefined) : undefined,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Fetches now. Calls that arrive while a fetch runs are folded into one more fetch after it, so a burst of
   * pushes costs at most two fetches and the last push is always seen. Resolves when the fetch(es) are done.
   */
  fetchNow(reason: string): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.fetchOnce(reason);
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
        this.schedule();
      }
    })();
    return this.running;
  }

  /** Resolves when no fetch is running (a webhook's fetch runs after the forge got its answer). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const minutes = this.failing ? (this.options.pollMinutes || RETRY_MINUTES) : this.options.pollMinutes;
    if (minutes <= 0) return;
    this.nextRetryAt = this.options.clock.now().plus({ minutes });
    this.timer = setTimeout(() => void this.fetchNow('poll'), minutes * 60_000);
    this.timer.unref();
  }

  private async fetchOnce(reason: string): Promise<void> {
    const { log, checkout } = this.options;
    const started = performance.now();
    let result: SyncResult;
    try {
      result = await checkout.sync();
    } catch (error) {
      await this.failed(error as Error);
      return;
    }
    this.lastFetchAt = this.options.clock.now();
    this.lastError = undefined;
    if (this.failing) {
      this.failing = false;
      await this.tell(`git:fetch-ok:${result.revision.sha}:${this.lastFetchAt.toMillis()}`, message({ title: 'Website repository: fetching works again', intro: [`Serving ${describe(result.revision)}.`] }));
    }
    const { revision, previous } = result;
    if (previous && previous.sha === revision.sha) {
      log.debug({ reason, revision: revision.sha }, 'website repository unchanged');
      return;
    }
    const files = result.changes?.map((c) => `${c.status[0]!.toUpperCase()} ${c.file}`) ?? ['(fresh clone)'];
    log.info({ reason, revision: revision.sha, previous: previous?.sha, author: revision.author, files, ms: Math.round(performance.now() - started) }, 'website revision checked out');
    const before = this.options.data.current().catalogue.events;
    const heldBefore = new Set(this.options.removals?.pending().map((r) => r.id));
    const extra = this.options.extraDiagnostics ?? (() => []);
    const diagnosticsBefore = [...this.options.data.diagnostics(), ...this.extraBefore];
    const after = this.options.data.reload();
    const held = this.options.removals?.pending().filter((r) => !heldBefore.has(r.id)) ?? [];
    const extraNow = extra();
    const diagnostics = [...after.diagnostics, ...extraNow];
    this.extraBefore = extraNow;
    const report = pushReport({
      revision,
      // What is served now (the posts, held removals and imports), so a held or imported meetup is not "removed".
      changes: eventChanges(before, this.options.data.current().catalogue.events),
      held: held.map((r) => r.event),
      diagnostics,
      diagnosticsBefore,
      zone: after.settings.timeZone,
    });
    if (report) await this.tell(`git:revision:${revision.sha}`, report);
  }

  private async failed(error: Error): Promise<void> {
    this.lastError = error.message;
    const retryMinutes = this.options.pollMinutes || RETRY_MINUTES;
    const next = this.options.clock.now().plus({ minutes: retryMinutes });
    const serving = this.options.checkout.revision();
    this.options.log.error({ err: error, source: redactUrl(this.options.url), serving: serving?.sha, nextRetryAt: next.toUTC().toISO() }, 'fetching the website repository failed; the last good revision stays in service');
    if (this.failing) return;
    this.failing = true;
    await this.tell(
      `git:fetch-failed:${this.options.clock.now().toMillis()}`,
      message({
        title: 'Website repository: fetch failed',
        intro: [`${redactUrl(this.options.url)} (${this.options.branch}): ${error.message}`],
        sections: [
          { heading: 'Still serving', body: [serving ? describe(serving) : 'nothing yet'] },
          { heading: 'Next try', body: [time(next.setZone('UTC'), 'full'), ' (and on every push webhook). You hear again when it works.'] },
        ],
      }),
    );
  }

  private async tell(key: string, report: MessageModel): Promise<void> {
    try {
      await this.options.notify(key, report);
    } catch (err) {
      this.options.log.error({ err }, 'could not tell the organizers about the website repository');
    }
  }
}

function describe(revision: Revision): string {
  return `${revision.sha.slice(0, 7)} “${revision.subject}” by ${revision.author}`;
}
