import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DateTime } from 'luxon';
import cron, { type ScheduledTask } from 'node-cron';
import type { Catalogue } from '../catalogue/catalogue';
import type { MeetupEvent } from '../catalogue/event';
import type { CommunitySettings } from '../catalogue/settings';
import { PostError, type ChatPoster, type Destination, type OrganizerNotifier, type Platform } from '../chat/adapter';
import type { MessageModel } from '../chat/message';
import type { FeedLinks } from '../feeds/links';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { postsTotal } from '../metrics';
import type { Db } from '../store/db';
import { Lease } from './lease';
import { cancellationMessage, eventPostMessage, ruleMessage, updatedMessage } from './messages';
import { Outbox, type NewOutboxRow, type OutboxRow } from './outbox';
import { Pacer, realTime, type Done, type PacerTime, type RateLimits } from './pacer';
import { eventContentHash, type OutboxPayload } from './payload';
import { deliveryKey, messageContext, planPost, planRules, type PlanInput, type PlannedGroup } from './plan';
import { ScheduledPosts } from './posts';
import { problemsSummary, type LooseProblem } from './report';
import type { AnnouncementRules } from './rules';
import { ScheduleState } from './state';

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  posters: ChatPoster[];
  /** The announce channels on each platform: where rules post unless they name their own. */
  destinations: Destination[];
  source: () => { catalogue: Catalogue; settings: CommunitySettings };
  /** The rules, or a getter when they can be reloaded. */
  rules: AnnouncementRules | (() => AnnouncementRules);
  notifyOrganizers: OrganizerNotifier;
  log: Logger;
  /** Posts that fell due while the bot was down or paused go out this late at most; older ones are skipped. */
  graceMinutes: number;
  /** When an announced meetup's agenda changes: edit the posts, or post an update. */
  onChange: 'edit' | 'update';
  feeds: FeedLinks;
  /** node-cron expression for ticks (default every minute). */
  cron?: string;
  rateLimits?: RateLimits;
  /** Time for pacing (real time by default: rate limits are about the wall clock). */
  pacerTime?: PacerTime;
  /** Waits between retries within a tick. */
  sleep?: (ms: number) => Promise<void>;
  /** Deliveries in flight at once (pacing still spaces them). */
  concurrency?: number;
  /** Attempts per delivery before it counts as failed. */
  maxAttempts?: number;
  leaseTtlMs?: number;
  /** Identifies this process in the lease (default host, pid and a random suffix). */
  holderId?: string;
}

export interface TickReport {
  at: DateTime;
  /** False when another process holds the lease: this one did nothing. */
  ran: boolean;
  paused: boolean;
  /** In-flight deliveries from before a crash found posted (so not sent again). */
  recovered: number;
  sent: number;
  edited: number;
  /** Given up on (reported to the organizers). */
  failed: number;
  skipped: number;
  /** Left for a later tick after a retryable error. */
  retrying: number;
  cancelled: number;
  /** Deliveries whose outcome is unknown (unexpected error): checked with findPosted next tick. */
  unknown: number;
  /** Rows included in this tick's summary to the organizers. */
  reported: number;
}

interface SendJob {
  kind: 'send';
  row: OutboxRow;
}

interface EditJob {
  kind: 'edit';
  row: OutboxRow;
  payload: OutboxPayload;
  contentHash: string;
}

type Job = SendJob | EditJob;

const LEASE_NAME = 'scheduler';
const DEFAULT_LEASE_TTL_MS = 3 * 60_000;
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_MAX_ATTEMPTS = 6;
/** Retries sooner than this wait inside the tick; later ones are left to a later tick. */
const IN_TICK_RETRY_MS = 10_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 15 * 60_000;
/** Posts due longer ago than this are not planned at all any more (a week-long outage is history). */
const PLANNING_HORIZON_MINUTES = 7 * 24 * 60;

/**
 * Posts the announcements: every tick (node-cron, every minute) it plans what is due from the rules and the
 * organizers' posts, writes each delivery to the outbox before sending, sends through the chat adapters at a
 * pace the platforms accept, and marks what was sent. Only the holder of the database lease ticks, so two
 * bot processes on one database never both post. After a crash, deliveries left 'sending' are looked up in the
 * channel (findPosted) before anything is re-sent: nothing is lost and nothing is posted twice.
 */
export class Scheduler {
  private readonly outbox: Outbox;
  private readonly posts: ScheduledPosts;
  private readonly state: ScheduleState;
  private readonly lease: Lease;
  private readonly pacer: Pacer;
  private readonly posters: Map<Platform, ChatPoster>;
  private readonly sleep: (ms: number) => Promise<void>;
  private task?: ScheduledTask;
  private running?: Promise<TickReport>;

  constructor(private readonly options: SchedulerOptions) {
    this.outbox = new Outbox(options.db);
    this.posts = new ScheduledPosts(options.db);
    this.state = new ScheduleState(options.db);
    const holder = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lease = new Lease(options.db, LEASE_NAME, holder, options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS);
    this.pacer = new Pacer(options.rateLimits, options.pacerTime ?? realTime);
    this.posters = new Map(options.posters.map((p) => [p.platform, p]));
    this.sleep = options.sleep ?? realTime.sleep;
  }

  get holderId(): string {
    return this.lease.holder;
  }

  /** Ticks every minute from now on, starting with a catch-up tick for what fell due while the bot was down. */
  start(): Promise<TickReport> {
    if (!this.task) {
      this.task = cron.schedule(this.options.cron ?? '* * * * *', () => this.tickLogged(), { name: 'sremuc-scheduler', noOverlap: true });
    }
    return this.tick();
  }

  /** Stops ticking, lets a running tick finish, and hands the lease over at once. */
  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await this.running?.catch(() => undefined);
    this.lease.release();
  }

  /** One pass. Ticks never overlap: asking while one runs returns that one. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tickLogged(): Promise<void> {
    try {
      const report = await this.tick();
      if (report.sent + report.failed + report.skipped + report.edited + report.recovered > 0) this.options.log.info({ ...report, at: report.at.toISO() }, 'scheduler tick');
    } catch (error) {
      this.options.log.error({ err: error }, 'scheduler tick failed');
    }
  }

  private async runTick(): Promise<TickReport> {
    const now = this.options.clock.now();
    const report = emptyReport(now);
    if (!this.lease.acquire(now.toMillis())) return report;
    report.ran = true;
    const input = this.planInput();

    await this.recover(report);
    if (this.state.paused()) {
      report.paused = true;
      await this.reportProblems(input, [], report);
      return report;
    }
    this.materialize(input, now, report);
    const edits = this.followUps(input, now, report);
    const loose = await this.deliver(input, edits, report);
    await this.reportProblems(input, loose, report);
    return report;
  }

  private planInput(): PlanInput {
    const { catalogue, settings } = this.options.source();
    const rules = typeof this.options.rules === 'function' ? this.options.rules() : this.options.rules;
    return { catalogue, settings, rules, destinations: this.options.destinations, feeds: this.options.feeds };
  }

  /**
   * Deliveries left 'sending' by a process that stopped mid-send: if the channel has the message (its delivery
   * key is on it), it was sent; otherwise it goes back to pending and is sent in this tick.
   */
  private async recover(report: TickReport): Promise<void> {
    for (const row of this.outbox.inFlight()) {
      const poster = this.posters.get(row.platform);
      if (!poster) {
        this.outbox.fail(row.deliveryKey, `no ${row.platform} adapter is configured`);
        continue;
      }
      let messageId: string | undefined;
      try {
        messageId = await poster.findPosted(row.channel, row.deliveryKey);
      } catch (error) {
        if (error instanceof PostError && !error.retryable) this.outbox.fail(row.deliveryKey, error.message);
        else this.options.log.warn({ err: error, key: row.deliveryKey }, 'could not check an interrupted delivery; trying again next tick');
        continue;
      }
      if (messageId !== undefined) {
        this.outbox.markSent(row.deliveryKey, messageId, this.options.clock.now());
        report.recovered++;
        this.options.log.info({ key: row.deliveryKey, messageId }, 'interrupted delivery had arrived; marked sent');
      } else {
        this.outbox.retryLater(row.deliveryKey, 'interrupted before the platform confirmed it; not in the channel', undefined);
        this.options.log.info({ key: row.deliveryKey }, 'interrupted delivery not found in the channel; sending again');
      }
    }
  }

  /** Writes every post that is due by now to the outbox: pending, or skipped when it is already too late. */
  private materialize(input: PlanInput, now: DateTime, report: TickReport): void {
    const from = now.minus({ minutes: Math.max(PLANNING_HORIZON_MINUTES, this.options.graceMinutes) });
    const groups = planRules(input, (subject) => this.state.firstSeen(subject, now), from, now);
    const duePosts = this.posts.due(now);
    groups.push(...duePosts.map((post) => planPost(input, post)));
    for (const group of groups) {
      const rows = this.rowsFor(group, now);
      const added = new Set(this.outbox.insert(rows, now));
      for (const row of rows.filter((r) => r.status === 'skipped' && added.has(r.deliveryKey))) {
        postsTotal.inc({ platform: row.platform, status: 'skipped' });
        report.skipped++;
      }
    }
    for (const post of duePosts) this.posts.markDone(post.id);
  }

  private rowsFor(group: PlannedGroup, now: DateTime): NewOutboxRow[] {
    const keys = group.destinations.map((d) => deliveryKey(group.key, d));
    const existing = this.outbox.existing(keys);
    if (existing.size === keys.length) return [];
    const grace = group.graceMinutes ?? this.options.graceMinutes;
    const lateBy = now.diff(group.dueAt, 'minutes').minutes;
    const skipReason = group.problem ?? (lateBy > grace ? tooLate(grace) : undefined);
    const payload = group.payload();
    return group.destinations
      .map((destination, i) => ({
        deliveryKey: keys[i]!,
        platform: destination.platform,
        channel: destination.channel,
        kind: group.kind,
        eventId: group.eventId,
        dueAt: group.dueAt,
        payload,
        contentHash: group.contentHash,
        status: skipReason ? ('skipped' as const) : ('pending' as const),
        lastError: skipReason,
      }))
      .filter((row) => !existing.has(row.deliveryKey));
  }

  /**
   * Keeps posted announcements true: a cancelled meetup gets a cancellation where it was announced (and its
   * unsent posts are dropped); a changed agenda is edited into the posts, or posted as an update; posts about a
   * meetup that left the data are dropped.
   */
  private followUps(input: PlanInput, now: DateTime, report: TickReport): EditJob[] {
    const edits: EditJob[] = [];
    for (const row of this.outbox.pendingAboutEvents()) {
      if (!input.catalogue.byId(row.eventId!)) {
        this.outbox.cancel(row.deliveryKey, 'the meetup is no longer in the data');
        report.cancelled++;
      }
    }
    for (const event of input.catalogue.events) {
      if (event.end <= now) continue;
      const sent = this.outbox.sentAbout(event.id).filter((r) => r.kind !== 'cancel');
      if (event.status === 'cancelled') {
        this.cancelAbout(input, event, sent, now, report);
        continue;
      }
      const contentHash = eventContentHash(event);
      const stale = sent.filter((r) => r.contentHash !== contentHash);
      if (stale.length === 0) continue;
      if (this.options.onChange === 'edit') edits.push(...stale.flatMap((row) => this.editJob(input, event, row, contentHash)));
      else this.postUpdate(input, event, stale, contentHash, now);
    }
    return edits;
  }

  private cancelAbout(input: PlanInput, event: MeetupEvent, sent: OutboxRow[], now: DateTime, report: TickReport): void {
    for (const row of this.outbox.unsentAbout(event.id)) {
      if (row.kind === 'cancel' || row.status !== 'pending') continue;
      this.outbox.cancel(row.deliveryKey, 'the meetup was cancelled');
      report.cancelled++;
    }
    if (sent.length === 0) return;
    const group: PlannedGroup = {
      key: `cancel:${event.id}`,
      kind: 'cancel',
      eventId: event.id,
      dueAt: now,
      destinations: distinctDestinations(sent),
      contentHash: eventContentHash(event),
      payload: () => ({ label: `cancellation: ${event.title}`, message: cancellationMessage(input.rules.messages, event, messageContext(input)) }),
    };
    this.outbox.insert(this.rowsFor(group, now), now);
  }

  private editJob(input: PlanInput, event: MeetupEvent, row: OutboxRow, contentHash: string): EditJob[] {
    const message = this.currentMessage(input, event, row);
    if (!message || !row.messageId) {
      // Its rule is gone: nothing to rebuild it from. Remember the content so this is not looked at again.
      this.outbox.setContentHash([row.deliveryKey], contentHash);
      return [];
    }
    return [{ kind: 'edit', row, contentHash, payload: { ...row.payload, message } }];
  }

  private currentMessage(input: PlanInput, event: MeetupEvent, row: OutboxRow): MessageModel | undefined {
    const ctx = messageContext(input);
    if (row.kind === 'post') return eventPostMessage(input.rules.messages, event, ctx);
    if (row.kind === 'update') return updatedMessage(input.rules.messages, event, ctx);
    const rule = input.rules.rules.find((r) => r.id === row.payload.ruleId);
    return rule && ruleMessage(rule, event, ctx);
  }

  /** One update post per channel that has posts about the meetup, however many posts there are. */
  private postUpdate(input: PlanInput, event: MeetupEvent, stale: OutboxRow[], contentHash: string, now: DateTime): void {
    const group: PlannedGroup = {
      key: `update:${event.id}:${contentHash}`,
      kind: 'update',
      eventId: event.id,
      dueAt: now,
      destinations: distinctDestinations(stale),
      contentHash,
      payload: () => ({ label: `update: ${event.title}`, message: updatedMessage(input.rules.messages, event, messageContext(input)) }),
    };
    this.outbox.atomically(() => {
      this.outbox.insert(this.rowsFor(group, now), now);
      this.outbox.setContentHash(
        stale.map((r) => r.deliveryKey),
        contentHash,
      );
    });
  }

  /** Sends what is ready and applies the edits, paced, a few at a time; returns problems without a row. */
  private async deliver(input: PlanInput, edits: EditJob[], report: TickReport): Promise<LooseProblem[]> {
    const now = this.options.clock.now();
    const sends: SendJob[] = [];
    for (const row of this.outbox.ready(now)) {
      const grace = this.graceFor(input, row);
      if (row.worthUntil ? now > row.worthUntil : now.diff(row.dueAt, 'minutes').minutes > grace) {
        this.outbox.skip(row.deliveryKey, row.worthUntil ? 'no longer worth posting' : tooLate(grace));
        postsTotal.inc({ platform: row.platform, status: 'skipped' });
        report.skipped++;
      } else {
        sends.push({ kind: 'send', row });
      }
    }
    const loose: LooseProblem[] = [];
    let stopped = false;
    await runPool(interleaveByChannel([...sends, ...edits]), this.options.concurrency ?? DEFAULT_CONCURRENCY, async (job) => {
      if (stopped) return;
      const done = await this.pacer.wait(job.row.platform, job.row.channel);
      try {
        // Re-checked before every send: a lost lease or a pause stops a long fan-out where it is.
        if (!this.lease.acquire(this.options.clock.now().toMillis()) || this.state.paused()) {
          stopped = true;
          return;
        }
        if (job.kind === 'send') await this.send(job.row, report, done);
        else await this.edit(job, report, loose);
      } finally {
        done();
      }
    });
    return loose;
  }

  private graceFor(input: PlanInput, row: OutboxRow): number {
    const rule = row.payload.ruleId ? input.rules.rules.find((r) => r.id === row.payload.ruleId) : undefined;
    return rule?.graceMinutes ?? this.options.graceMinutes;
  }

  /** `done` tells the pacer the request was answered; a retry waits for a new slot. */
  private async send(row: OutboxRow, report: TickReport, done: Done): Promise<void> {
    const poster = this.posters.get(row.platform);
    if (!this.outbox.claim(row.deliveryKey)) return;
    const attempts = row.attempts + 1;
    if (!poster) return this.giveUp(row, `no ${row.platform} adapter is configured`, report);
    try {
      const { messageId } = await poster.post(row.channel, row.payload.message, { deliveryKey: row.deliveryKey });
      this.outbox.markSent(row.deliveryKey, messageId, this.options.clock.now());
      postsTotal.inc({ platform: row.platform, status: 'sent' });
      report.sent++;
    } catch (error) {
      if (!(error instanceof PostError)) {
        // We cannot tell whether it arrived: leave it 'sending'; the next tick looks for it before re-sending.
        this.options.log.error({ err: error, key: row.deliveryKey }, 'delivery ended with an unexpected error; outcome unknown');
        report.unknown++;
        return;
      }
      if (!error.retryable) return this.giveUp(row, error.message, report);
      if (attempts >= (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return this.giveUp(row, `${error.message} (gave up after ${attempts} attempts)`, report);
      const delay = Math.max(error.retryAfterMs ?? 0, backoff(attempts));
      this.outbox.retryLater(row.deliveryKey, error.message, this.options.clock.now().plus({ milliseconds: delay }));
      this.options.log.warn({ key: row.deliveryKey, attempts, delayMs: delay, err: error.message }, 'delivery failed; retrying');
      if (delay > IN_TICK_RETRY_MS) {
        report.retrying++;
        return;
      }
      done();
      await this.sleep(delay);
      const next = await this.pacer.wait(row.platform, row.channel);
      try {
        const again = this.outbox.get(row.deliveryKey);
        if (again?.status === 'pending') await this.send(again, report, next);
      } finally {
        next();
      }
    }
  }

  private giveUp(row: OutboxRow, error: string, report: TickReport): void {
    this.outbox.fail(row.deliveryKey, error);
    postsTotal.inc({ platform: row.platform, status: 'failed' });
    report.failed++;
    this.options.log.error({ key: row.deliveryKey, err: error }, 'delivery failed for good');
  }

  private async edit(job: EditJob, report: TickReport, loose: LooseProblem[]): Promise<void> {
    const { row } = job;
    const poster = this.posters.get(row.platform);
    try {
      if (!poster) throw new PostError(`no ${row.platform} adapter is configured`, false);
      await poster.edit(row.channel, row.messageId!, job.payload.message);
      this.outbox.updateContent(row.deliveryKey, job.payload, job.contentHash);
      report.edited++;
    } catch (error) {
      if (error instanceof PostError && !error.retryable) {
        // E.g. the message was deleted: say so once, and stop trying for this version of the agenda.
        this.outbox.setContentHash([row.deliveryKey], job.contentHash);
        loose.push({ label: `${row.payload.label} (agenda changed)`, platform: row.platform, channel: row.channel, error: error.message });
      } else {
        this.options.log.warn({ err: error, key: row.deliveryKey }, 'could not edit a post; trying again next tick');
      }
    }
  }

  private async reportProblems(input: PlanInput, loose: LooseProblem[], report: TickReport): Promise<void> {
    const rows = this.outbox.unreported();
    const summary = problemsSummary(rows, loose, input.settings.timeZone);
    if (!summary) return;
    try {
      await this.options.notifyOrganizers(summary);
      this.outbox.markReported(
        rows.map((r) => r.deliveryKey),
        this.options.clock.now(),
      );
      report.reported = rows.length + loose.length;
    } catch (error) {
      this.options.log.error({ err: error, problems: rows.length + loose.length }, 'could not tell the organizers about failed posts; trying next tick');
    }
  }
}

function emptyReport(at: DateTime): TickReport {
  return { at, ran: false, paused: false, recovered: 0, sent: 0, edited: 0, failed: 0, skipped: 0, retrying: 0, cancelled: 0, unknown: 0, reported: 0 };
}

function tooLate(graceMinutes: number): string {
  return `it fell due while the bot was down or paused, more than ${formatMinutes(graceMinutes)} ago`;
}

function formatMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

function backoff(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** (attempts - 1), BACKOFF_MAX_MS);
}

function distinctDestinations(rows: OutboxRow[]): Destination[] {
  const seen = new Map<string, Destination>();
  for (const r of rows) seen.set(`${r.platform}:${r.channel}`, { platform: r.platform, channel: r.channel });
  return [...seen.values()];
}

/** Round-robin over channels, so that one channel's paced queue never holds up the others. */
function interleaveByChannel<T extends Job>(jobs: T[]): T[] {
  const queues = new Map<string, T[]>();
  for (const job of jobs) {
    const key = `${job.row.platform}:${job.row.channel}`;
    const queue = queues.get(key);
    if (queue) queue.push(job);
    else queues.set(key, [job]);
  }
  const out: T[] = [];
  for (let round = 0; out.length < jobs.length; round++) {
    for (const queue of queues.values()) if (queue[round]) out.push(queue[round]!);
  }
  return out;
}

async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
