import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { PostError, type ChatPoster } from '../chat/adapter';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import { Deliverer } from './deliverer';
import { DEFAULT_LEASE_TIMING, Lease, monotonic, type LeaseTiming, type Monotonic } from './lease';
import { Outbox, type OutboxRow } from './outbox';
import { Pacer, realTime, type PacerTime, type RateLimits } from './pacer';
import { CommunityPass, type EditOp, type ScheduledCommunity } from './community-pass';
import { SINGLE_COMMUNITY, type CommunityId } from '../community/scope';
import type { LooseProblem } from './report';
import { interleaveByChannel, runPool } from './pool';
import { count, emptyReport, type TickReport } from './tick-report';
import { TrustedClock } from './trusted-clock';

interface SchedulerParts {
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

/**
 * One community's data, rules and channels (a one-community set-up: source, rules, destinations, organizers,
 * feeds), or `communities`: every community the process serves, planned one after another into the one outbox.
 */
export interface SchedulerOptions extends SchedulerParts, Partial<Omit<ScheduledCommunity, 'id'>> {
  communities?: () => readonly ScheduledCommunity[];
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
  private readonly communities: () => readonly ScheduledCommunity[];
  private readonly passes = new Map<CommunityId, CommunityPass>();
  private readonly lease: Lease;
  private readonly deliverer: Deliverer;
  private readonly clock: TrustedClock;
  private readonly pacer: Pacer;
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
    this.communities = options.communities ?? singleCommunity(options);
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
    // Rows of a holder's first pass may repeat what a lost state had already posted: they are looked up first.
    const checkedGen = this.plannedGen === generation ? generation : undefined;
    const communities = this.communities();
    const paused = new Set<CommunityId>();
    const edits: EditOp[] = [];
    for (const community of communities) {
      const pass = this.pass(community.id);
      const isPaused = await pass.paused();
      if (isPaused) paused.add(community.id);
      const ops = await pass.plan(community, now, { graceMinutes: this.options.graceMinutes, onChange: this.options.onChange, paused: isPaused, generation });
      edits.push(...(await pass.apply(ops, now, checkedGen, report)));
    }
    this.plannedGen = generation;
    report.paused = communities.length > 0 && paused.size === communities.length;
    const running = (row: OutboxRow) => !paused.has(row.community ?? SINGLE_COMMUNITY);
    await this.deliverAll((await this.outbox.actionable(now)).filter((r) => r.kind !== 'report' && running(r)), report);
    for (const op of edits) await this.edit(op, report);
    for (const community of communities) {
      const pass = this.pass(community.id);
      const loose = this.loose.get(community.id) ?? [];
      this.loose.delete(community.id);
      await pass.apply(await pass.reportOps(community, loose, this.clock.now()), this.clock.now(), generation, report);
    }
    await this.deliverAll((await this.outbox.actionable(this.clock.now())).filter((r) => r.kind === 'report'), report);
    return report;
  }

  private pass(id: CommunityId): CommunityPass {
    let pass = this.passes.get(id);
    if (!pass) this.passes.set(id, (pass = new CommunityPass(this.options.db, id)));
    return pass;
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

function singleCommunity(options: SchedulerOptions): () => readonly ScheduledCommunity[] {
  const { source, rules, destinations, organizers, feeds } = options;
  if (!source || !rules || !destinations || !organizers || !feeds) throw new Error('a scheduler needs `communities`, or the one community\'s source, rules, destinations, organizers and feeds');
  const single = [{ id: SINGLE_COMMUNITY, source, rules, destinations, organizers, feeds }];
  return () => single;
}

export type { TickReport } from './tick-report';
