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
import { Claims } from './claims';
import { Deliverer } from './deliverer';
import { deliverClaimed, type DeliveryOptions } from './delivery';
import { DEFAULT_LEASE_TIMING, Lease, monotonic, PLANNER_LEASE, type LeaseTiming, type Monotonic } from './lease';
import { Outbox } from './outbox';
import { DEFAULT_RATE_LIMITS, Pacer, realTime, type PacerTime, type RateLimits } from './pacer';
import type { PlanInput } from './plan';
import { plan, planReport, type OutboxOp } from './planner';
import { ScheduledPosts } from './posts';
import type { LooseProblem } from './report';
import { planAgainst } from './outbox-view';
import { emptyReport, type TickReport } from './tick-report';
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
  /** How long a replica's claim on a row lasts (default 30 s): past it, another replica may take the row over. */
  claimTtlMs?: number;
  /** Identifies this process in the lease and its claims (default host, pid and a random suffix). */
  holderId?: string;
  settleMs?: number;
  /** Injected stop point before every attempt (tests: a holder stopped and continued). */
  pause?: () => Promise<void>;
}

const DEFAULT_CONCURRENCY = 16;
/**
 * Longer than anything a claim covers: the pacing slot (at most a second ahead), a lookup through deep history and
 * a post that times out. A claim that outlives its replica delays that row by this much, nothing more.
 */
export const DEFAULT_CLAIM_TTL_MS = 30_000;

/**
 * Ticks the planner and the deliverer. Every minute (node-cron) the planning lease's holder plans what is due and
 * writes it to the outbox; every replica, holder or not, then claims due rows and delivers them through the chat
 * adapters at a pace the platforms accept (shared across replicas, see Claims); the holder summarises what failed
 * or was skipped for the organizers as outbox rows of their own. A lease timer beats every few seconds, so a dead
 * holder is replaced within about 30 s (see Lease), and starts a delivery pass on every replica, so rows planned
 * by another replica are picked up within seconds.
 */
export class Scheduler {
  readonly outbox: Outbox;
  private readonly posts: ScheduledPosts;
  private readonly state: ScheduleState;
  private readonly lease: Lease;
  private readonly deliverer: Deliverer;
  private readonly clock: TrustedClock;
  private readonly delivery: DeliveryOptions;
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
    this.lease = new Lease(options.db, PLANNER_LEASE, holder, mono, options.leaseTiming ?? DEFAULT_LEASE_TIMING);
    this.clock = new TrustedClock(options.clock, mono, (offsetMs, adopted) =>
      options.log.warn({ offsetMs, adopted }, adopted ? 'wall clock step lasted; believing it' : 'wall clock stepped; not believed yet'),
    );
    this.deliverer = new Deliverer({
      outbox: this.outbox,
      planning: () => this.lease.valid(),
      posters: new Map(options.posters.map((p) => [p.platform, p])),
      clock: this.clock,
      mono,
      log: options.log,
      settleMs: options.settleMs,
      pause: options.pause,
    });
    const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
    const time = options.pacerTime ?? realTime;
    this.delivery = {
      claims: new Claims(options.db, holder, limits, options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS),
      deliverer: this.deliverer,
      pacer: new Pacer(limits, time),
      clock: this.clock,
      time,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    };
  }

  get holderId(): string {
    return this.lease.holder;
  }

  /** Ticks every minute from now on, starting with a catch-up tick; beats (or watches) the lease in between. */
  start(): Promise<TickReport> {
    this.task ??= cron.schedule(this.options.cron ?? '* * * * *', () => this.tickLogged(), { name: 'sremuc-scheduler', noOverlap: true });
    if (!this.leaseTimer) {
      const beat = async () => {
        // A contender that takes over ticks at once instead of at the next minute; every other replica looks for
        // rows to deliver (a tick already running does that itself).
        const held = this.lease.generation;
        try {
          const holds = (await this.lease.acquire()) !== undefined;
          if (holds && held === undefined) void this.tickLogged();
          else if (!holds && !this.running) void this.tickLogged(false);
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

  /**
   * One pass: plan (if this replica holds the planning lease, or takes it now) and deliver. `plan: false` only
   * delivers. Ticks never overlap: asking while one runs returns that one.
   */
  tick(plan = true): Promise<TickReport> {
    this.running ??= this.runTick(plan).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A pass that sees the rows written before the call: a tick already running planned without them, so it ends first. */
  async tickAfterWrite(): Promise<TickReport> {
    await this.running?.catch(() => undefined);
    return this.tick();
  }

  private async tickLogged(plan = true): Promise<void> {
    try {
      const r = await this.tick(plan);
      if (r.sent + r.failed + r.skipped + r.edited + r.recovered + r.unknown > 0) this.options.log.info({ ...r, at: r.at.toISO() }, 'scheduler tick');
    } catch (error) {
      this.options.log.error({ err: error }, 'scheduler tick failed');
    }
  }

  private async runTick(planning: boolean): Promise<TickReport> {
    const now = this.clock.now();
    const report = emptyReport(now);
    const generation = planning ? await this.lease.acquire() : undefined;
    const paused = (await this.state.paused()) !== undefined;
    report.paused = paused;
    let edits: Extract<OutboxOp, { op: 'edit' }>[] = [];
    if (generation !== undefined) {
      report.ran = true;
      const input = this.planInput();
      const duePosts = paused ? [] : await this.posts.due(now);
      const seen = await this.state.allSeen();
      const ops = await planAgainst(this.outbox, (outbox) =>
        plan({ ...input, now, graceMinutes: this.options.graceMinutes, onChange: this.options.onChange, paused, outbox, duePosts, seen: (s) => seen.get(s) }),
      );
      // Rows of a holder's first pass may repeat what a lost state had already posted: they are looked up first.
      edits = await this.apply(ops, this.plannedGen === generation ? generation : undefined, report);
      this.plannedGen = generation;
    }
    if (!paused) {
      await deliverClaimed(this.delivery, 'posts', report);
      for (const op of edits) await this.edit(op, report);
    }
    if (generation !== undefined && (await this.lease.valid())) {
      const input = this.planInput();
      const reportOps = planReport(await this.outbox.unreported(), this.loose.splice(0), this.options.organizers, { settings: input.settings, now });
      await this.apply(reportOps, generation, report);
    }
    await deliverClaimed(this.delivery, 'reports', report);
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
