import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import { PostError, type ChatPoster, type Destination } from '../chat/adapter';
import type { FeedLinks } from '../feeds/links';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { postsTotal } from '../metrics';
import type { Db } from '../store/db';
import { Deliverer } from './deliverer';
import { DEFAULT_LEASE_TIMING, Lease, monotonic, type LeaseTiming, type Monotonic } from './lease';
import { Outbox, type OutboxRow } from './outbox';
import { Pacer, realTime, type PacerTime, type RateLimits } from './pacer';
import type { PlanInput } from './plan';
import { plan, planReport, type OutboxOp } from './planner';
import { ScheduledPosts } from './posts';
import type { LooseProblem } from './report';
import { interleaveByChannel, runPool } from './pool';
import { planAgainst } from './outbox-view';
import { count, emptyReport, type TickReport } from './tick-report';
import type { AnnouncementRules } from './rules';
import { ScheduleState } from './state';
import { TrustedClock } from './trusted-clock';

export interface SchedulerOptions {
  db: Db;
  /** The wall clock (due times are wall times); checked against `mono` for steps. */
  clock: Clock;
  /** Monotonic milliseconds for the lease and for lookup timing (default performance.now()). */
  mono?: Monotonic;
  posters: ChatPoster[];
  /** The announce channels on each platform: where rules post unless they name their own. */
  destinations: Destination[];
  /** Where reports of posts that failed or were skipped go (as outbox rows of their own). */
  organizers: Destination[];
  source: () => { catalogue: Catalogue; settings: CommunitySettings };
  /** The rules, or a getter when they can be reloaded. */
  rules: AnnouncementRules | (() => AnnouncementRules);
  log: Logger;
  /** Posts that fell due while the bot was down or paused go out this late at most; older ones are skipped. */
  graceMinutes: number;
  /** When an announced meetup's agenda changes: edit the posts, or post an update. */
  onChange: 'edit' | 'update';
  feeds: FeedLinks;
  /** node-cron expression for ticks (default every minute). */
  cron?: string;
  rateLimits?: RateLimits;
  pacerTime?: PacerTime;
  /** Deliveries in flight at once (pacing still spaces them). */
  concurrency?: number;
  leaseTiming?: LeaseTiming;
  /** Identifies this process in the lease (default host, pid and a random suffix). */
  holderId?: string;
  settleMs?: number;
  /** Injected stop point before every attempt (tests: a holder stopped and continued). */
  pause?: () => Promise<void>;
}

const LEASE_NAME = 'scheduler';
const DEFAULT_CONCURRENCY = 16;

/**
 * Ticks the planner and the deliverer: every minute (node-cron) the lease holder plans what is due, writes it to
 * the outbox, and delivers the rows through the chat adapters at a pace the platforms accept; what failed or was
 * skipped is summarised for the organizers as outbox rows of their own. A lease timer beats every few seconds, so
 * a dead holder is replaced within about 30 s (see Lease).
 */
export class Scheduler {
  readonly outbox: Outbox;
  private readonly posts: ScheduledPosts;
  private readonly state: ScheduleState;
  private readonly lease: Lease;
  private readonly deliverer: Deliverer;
  private readonly clock: TrustedClock;
  private readonly pacer: Pacer;
  private readonly loose: LooseProblem[] = [];
  private task?: ScheduledTask;
  private leaseTimer?: NodeJS.Timeout;
  private running?: Promise<TickReport>;
  /** The lease generation whose first planning pass is done: rows planned later need no lookup. */
  private plannedGen?: number;

  constructor(private readonly options: SchedulerOptions) {
    const mono = options.mono ?? monotonic;
    this.outbox = new Outbox(options.db);
    this.posts = new ScheduledPosts(options.db);
    this.state = new ScheduleState(options.db);
    const holder = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lease = new Lease(options.db, LEASE_NAME, holder, mono, options.leaseTiming ?? DEFAULT_LEASE_TIMING);
    this.clock = new TrustedClock(options.clock, mono, (offsetMs, adopted) =>
      options.log.warn({ offsetMs, adopted }, adopted ? 'wall clock step lasted; believing it' : 'wall clock stepped; not believed yet'),
    );
    this.deliverer = new Deliverer({ outbox: this.outbox, lease: this.lease, posters: new Map(options.posters.map((p) => [p.platform, p])), clock: this.clock, mono, log: options.log, settleMs: options.settleMs, pause: options.pause });
    this.pacer = new Pacer(options.rateLimits, options.pacerTime ?? realTime);
  }

  get holderId(): string {
    return this.lease.holder;
  }

  /** Ticks every minute from now on, starting with a catch-up tick; beats (or watches) the lease in between. */
  start(): Promise<TickReport> {
    this.task ??= cron.schedule(this.options.cron ?? '* * * * *', () => this.tickLogged(), { name: 'sremuc-scheduler', noOverlap: true });
    if (!this.leaseTimer) {
      const beat = async () => {
        // A contender that takes over ticks at once instead of at the next minute.
        const held = this.lease.generation;
        try {
          if ((await this.lease.acquire()) !== undefined && held === undefined) void this.tickLogged();
        } catch (error) {
          this.options.log.warn({ err: error }, 'could not beat the scheduler lease; trying again');
        }
      };
      this.leaseTimer = setInterval(() => void beat(), (this.options.leaseTiming ?? DEFAULT_LEASE_TIMING).beatMs);
      this.leaseTimer.unref();
    }
    return this.tick();
  }

  /** Stops ticking, lets a running tick finish, and hands the lease over at once. */
  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    clearInterval(this.leaseTimer);
    this.leaseTimer = undefined;
    await this.running?.catch(() => undefined);
    await this.lease.release();
  }

  /** One pass. Ticks never overlap: asking while one runs returns that one. */
  tick(): Promise<TickReport> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A pass that sees the rows written before the call: a tick already running planned without them, so it ends first. */
  async tickAfterWrite(): Promise<TickReport> {
    await this.running?.catch(() => undefined);
    return this.tick();
  }

  private async tickLogged(): Promise<void> {
    try {
      const r = await this.tick();
      if (r.sent + r.failed + r.skipped + r.edited + r.recovered + r.unknown > 0) this.options.log.info({ ...r, at: r.at.toISO() }, 'scheduler tick');
    } catch (error) {
      this.options.log.error({ err: error }, 'scheduler tick failed');
    }
  }

  private async runTick(): Promise<TickReport> {
    const now = this.clock.now();
    const report = emptyReport(now);
    const generation = await this.lease.acquire();
    if (generation === undefined) return report;
    report.ran = true;
    const input = this.planInput();
    const paused = (await this.state.paused()) !== undefined;
    report.paused = paused;
    const duePosts = paused ? [] : await this.posts.due(now);
    const seen = await this.state.allSeen();
    const ops = await planAgainst(this.outbox, (outbox) =>
      plan({ ...input, now, graceMinutes: this.options.graceMinutes, onChange: this.options.onChange, paused, outbox, duePosts, seen: (s) => seen.get(s) }),
    );
    // Rows of a holder's first pass may repeat what a lost state had already posted: they are looked up first.
    const edits = await this.apply(ops, this.plannedGen === generation ? generation : undefined, report);
    this.plannedGen = generation;
    if (!paused) {
      await this.deliverAll((await this.outbox.actionable(now)).filter((r) => r.kind !== 'report'), report);
      for (const op of edits) await this.edit(op, report);
    }
    const reportOps = planReport(await this.outbox.unreported(), this.loose.splice(0), this.options.organizers, { settings: input.settings, now });
    await this.apply(reportOps, generation, report);
    await this.deliverAll((await this.outbox.actionable(this.clock.now())).filter((r) => r.kind === 'report'), report);
    return report;
  }

  private planInput(): PlanInput {
    const { catalogue, settings } = this.options.source();
    const rules = typeof this.options.rules === 'function' ? this.options.rules() : this.options.rules;
    return { catalogue, settings, rules, destinations: this.options.destinations, feeds: this.options.feeds };
  }

  /** Applies the planner's operations in one transaction; returns the edits, which need the platform. */
  private async apply(ops: OutboxOp[], checkedGen: number | undefined, report: TickReport): Promise<Extract<OutboxOp, { op: 'edit' }>[]> {
    const now = this.clock.now();
    const edits: Extract<OutboxOp, { op: 'edit' }>[] = [];
    if (ops.length === 0) return edits;
    await this.outbox.atomically(async () => {
      for (const op of ops) {
        if (op.op === 'seen') await this.state.firstSeen(op.subject, op.at);
        else if (op.op === 'postDone') await this.posts.markDone(op.id);
        else if (op.op === 'setContentHash') await this.outbox.setContentHash(op.keys, op.contentHash);
        else if (op.op === 'edit') edits.push(op);
        else if (op.op === 'cancel') {
          await this.outbox.cancel(op.key, op.reason);
          report.cancelled++;
        } else if (op.op === 'report') {
          await this.outbox.insert(op.rows, now, checkedGen);
          await this.outbox.markReported(op.covers, now);
          report.reported += op.covers.length;
        } else {
          const added = new Set(await this.outbox.insert(op.rows, now, checkedGen));
          for (const row of op.rows.filter((r) => r.status === 'skipped' && added.has(r.deliveryKey))) {
            postsTotal.inc({ platform: row.platform, status: 'skipped' });
            report.skipped++;
          }
        }
      }
    });
    return edits;
  }

  /** Round-robin over channels, a few at a time, paced per channel; stops where the lease is lost. */
  private async deliverAll(rows: OutboxRow[], report: TickReport): Promise<void> {
    let fenced = false;
    await runPool(interleaveByChannel(rows), this.options.concurrency ?? DEFAULT_CONCURRENCY, async (row) => {
      if (fenced) return;
      const done = await this.pacer.wait(row.platform, row.channel);
      try {
        const outcome = await this.deliverer.deliver(row);
        if (outcome === 'fenced') fenced = !(await this.lease.valid());
        count(report, row, outcome);
      } finally {
        done();
      }
    });
  }

  private async edit(op: Extract<OutboxOp, { op: 'edit' }>, report: TickReport): Promise<void> {
    try {
      if (await this.deliverer.edit(op.row, op.payload, op.contentHash)) report.edited++;
    } catch (error) {
      if (error instanceof PostError && !error.retryable) {
        // E.g. the message was deleted: say so once, and stop trying for this version of the agenda.
        await this.outbox.setContentHash([op.row.deliveryKey], op.contentHash);
        this.loose.push({ label: `${op.row.payload.label} (agenda changed)`, platform: op.row.platform, channel: op.row.channel, error: error.message });
      } else {
        this.options.log.warn({ err: error, key: op.row.deliveryKey }, 'could not edit a post; trying again next tick');
      }
    }
  }
}

export type { TickReport } from './tick-report';
