import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { PostError, type ChatPoster } from '../chat/adapter';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import { Claims } from './claims';
import { Deliverer } from './deliverer';
import { deliverClaimed, type DeliveryOptions } from './delivery';
import { DEFAULT_LEASE_TIMING, Lease, monotonic, PLANNER_LEASE, type Monotonic } from './lease';
import { Outbox } from './outbox';
import { DEFAULT_RATE_LIMITS, Pacer, type RateLimits } from './pacer';
import { CommunityPass, type EditOp, type ScheduledCommunity } from './community-pass';
import { SINGLE_COMMUNITY, type CommunityId } from '../community/scope';
import type { LooseProblem } from './report';
import { emptyReport, type TickReport } from './tick-report';
import { TrustedClock } from './trusted-clock';

export interface SchedulerOptions {
  db: Db;
  /** The wall clock (due times are wall times); checked against `mono` for steps. */
  clock: Clock;
  /** Monotonic milliseconds for the lease and for lookup timing (default performance.now()). */
  mono?: Monotonic;
  posters: ChatPoster[];
  log: Logger;
  /** Posts that fell due while the bot was down or paused go out this late at most; older ones are skipped. */
  graceMinutes: number;
  /** When an announced meetup's agenda changes: edit the posts, or post an update. */
  onChange: 'edit' | 'update';
  /** node-cron expression for ticks (default every minute). */
  cron?: string;
  rateLimits?: RateLimits;
  /** Deliveries in flight at once (pacing still spaces them). */
  concurrency?: number;
  /** How long a replica's claim on a row lasts (default 30 s): past it, another replica may take the row over. */
  claimTtlMs?: number;
  /** Identifies this process in the lease and its claims (default host, pid and a random suffix). */
  holderId?: string;
  settleMs?: number;
  /** Injected stop point before every attempt (tests: a holder stopped and continued). */
  pause?: () => Promise<void>;
  /** Every community the process serves (one in a one-community set-up), planned one after another into the one outbox. */
  communities: () => readonly ScheduledCommunity[];
}

const DEFAULT_CONCURRENCY = 16;
/**
 * Longer than anything a claim covers: the pacing slot (at most a second ahead), a lookup through deep history and
 * a post that times out. A claim that outlives its replica delays that row by this much, nothing more.
 */
export const DEFAULT_CLAIM_TTL_MS = 30_000;

/**
 * Ticks the planner and the deliverer. Every minute (node-cron) the planning lease's holder plans what is due in
 * every community and writes it to the outbox; every replica, holder or not, then claims due rows and delivers
 * them through the chat adapters at a pace the platforms accept (shared across replicas, see Claims); the holder
 * summarises what failed or was skipped for the organizers as outbox rows of their own. A lease timer beats every
 * few seconds, so a dead holder is replaced within about 30 s (see Lease), and starts a delivery pass on every
 * other replica, so rows planned by the holder are picked up within seconds.
 */
export class Scheduler {
  readonly outbox: Outbox;
  private readonly passes = new Map<CommunityId, CommunityPass>();
  private readonly lease: Lease;
  private readonly deliverer: Deliverer;
  private readonly clock: TrustedClock;
  private readonly delivery: DeliveryOptions;
  /** Problems met outside the outbox's rows (an edit refused), per community, for its next report. */
  private readonly loose = new Map<CommunityId, LooseProblem[]>();
  private task?: ScheduledTask;
  private leaseTimer?: NodeJS.Timeout;
  private running?: Promise<TickReport>;
  /** The lease generation whose first planning pass is done: rows planned later need no lookup. */
  private plannedGen?: number;

  constructor(private readonly options: SchedulerOptions) {
    const mono = options.mono ?? monotonic;
    this.outbox = new Outbox(options.db);
    const holder = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lease = new Lease(options.db, PLANNER_LEASE, holder, mono);
    this.clock = new TrustedClock(options.clock, mono, (offsetMs, adopted) =>
      options.log.warn({ offsetMs, adopted }, adopted ? 'wall clock step lasted; believing it' : 'wall clock stepped; not believed yet'),
    );
    const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
    // On top of the shared slots: this replica's own spacing at each request, and its cap on requests in flight.
    const pacer = new Pacer(limits);
    this.deliverer = new Deliverer({
      outbox: this.outbox,
      planning: () => this.lease.valid(),
      posters: new Map(options.posters.map((p) => [p.platform, p])),
      clock: this.clock,
      mono,
      log: options.log,
      settleMs: options.settleMs,
      pause: options.pause,
      pace: (platform, channel) => pacer.wait(platform, channel),
    });
    this.delivery = {
      claims: new Claims(options.db, holder, limits, options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS),
      deliverer: this.deliverer,
      clock: this.clock,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    };
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
      this.leaseTimer = setInterval(() => void beat(), DEFAULT_LEASE_TIMING.beatMs);
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
    const communities = this.options.communities();
    const paused = new Set<CommunityId>();
    for (const community of communities) if (await this.pass(community.id).paused()) paused.add(community.id);
    report.paused = communities.length > 0 && paused.size === communities.length;
    const edits: EditOp[] = [];
    if (generation !== undefined) {
      report.ran = true;
      // Rows of a holder's first pass may repeat what a lost state had already posted: they are looked up first.
      const checkedGen = this.plannedGen === generation ? generation : undefined;
      for (const community of communities) {
        const pass = this.pass(community.id);
        const ops = await pass.plan(community, now, { graceMinutes: this.options.graceMinutes, onChange: this.options.onChange, paused: paused.has(community.id), generation });
        edits.push(...(await pass.apply(ops, now, checkedGen, report)));
      }
      this.plannedGen = generation;
    }
    // Every replica delivers, the planner included: rows nobody holds, of communities that are not paused.
    await deliverClaimed(this.delivery, { kind: 'posts', except: [...paused] }, report);
    for (const op of edits) await this.edit(op, report);
    if (generation !== undefined && (await this.lease.valid())) {
      for (const community of communities) {
        const pass = this.pass(community.id);
        const loose = this.loose.get(community.id) ?? [];
        this.loose.delete(community.id);
        await pass.apply(await pass.reportOps(community, loose, this.clock.now()), this.clock.now(), generation, report);
      }
    }
    await deliverClaimed(this.delivery, { kind: 'reports', except: [] }, report);
    return report;
  }

  private pass(id: CommunityId): CommunityPass {
    let pass = this.passes.get(id);
    if (!pass) this.passes.set(id, (pass = new CommunityPass(this.options.db, id)));
    return pass;
  }

  private async edit(op: EditOp, report: TickReport): Promise<void> {
    try {
      if (await this.deliverer.edit(op.row, op.payload, op.contentHash)) report.edited++;
    } catch (error) {
      if (error instanceof PostError && !error.retryable) {
        // E.g. the message was deleted: say so once, and stop trying for this version of the agenda.
        await this.outbox.setContentHash([op.row.deliveryKey], op.contentHash);
        const community = op.row.community ?? SINGLE_COMMUNITY;
        this.loose.set(community, [...(this.loose.get(community) ?? []), { label: `${op.row.payload.label} (agenda changed)`, platform: op.row.platform, channel: op.row.channel, error: error.message }]);
      } else {
        this.options.log.warn({ err: error, key: op.row.deliveryKey }, 'could not edit a post; trying again next tick');
      }
    }
  }
}

export type { TickReport } from './tick-report';
