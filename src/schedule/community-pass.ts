import type { DateTime } from 'luxon';
import type { Catalogue } from '../catalogue/catalogue';
import type { CommunitySettings } from '../catalogue/settings';
import type { Destination } from '../chat/adapter';
import type { FeedLinks } from '../feeds/links';
import type { CommunityId } from '../community/scope';
import { postsTotal } from '../metrics';
import type { Db } from '../store/db';
import { Outbox } from './outbox';
import { planAgainst } from './outbox-view';
import type { PlanInput } from './plan';
import { plan, planReport, type OutboxOp } from './planner';
import { ScheduledPosts } from './posts';
import type { LooseProblem } from './report';
import type { AnnouncementRules } from './rules';
import { ScheduleState } from './state';
import type { TickReport } from './tick-report';

/** What the scheduler plans for one community: its data, rules and channels. */
export interface ScheduledCommunity {
  /** '' for the single community of a one-community set-up (src/community/scope.ts). */
  id: CommunityId;
  source: () => { catalogue: Catalogue; settings: CommunitySettings };
  /** The rules, or a getter when they can be reloaded. */
  rules: AnnouncementRules | (() => AnnouncementRules);
  /** The announce channels on each platform: where rules post unless they name their own. */
  destinations: Destination[];
  /** Where reports of posts that failed or were skipped go (as outbox rows of their own). */
  organizers: Destination[];
  feeds: FeedLinks;
}

export type EditOp = Extract<OutboxOp, { op: 'edit' }>;

/**
 * One community's planning state in the shared database: its view of the outbox, its organizers' posts and its
 * pause switch and first-seen times. Kept across ticks (the first-seen times are cached).
 */
export class CommunityPass {
  readonly outbox: Outbox;
  private readonly posts: ScheduledPosts;
  private readonly state: ScheduleState;

  constructor(
    private readonly db: Db,
    private readonly id: CommunityId,
  ) {
    this.outbox = new Outbox(db, id);
    this.posts = new ScheduledPosts(db, id);
    this.state = new ScheduleState(db, id);
  }

  async paused(): Promise<boolean> {
    return (await this.state.paused()) !== undefined;
  }

  /**
   * The planner's operations for what is due in this community now (none while it is paused). When each meetup
   * was first seen is read once per lease generation and kept up to date by this holder's own records (a first
   * time never changes), so a tick reads no state row per meetup: with a thousand communities the table is large.
   */
  async plan(community: ScheduledCommunity, now: DateTime, options: { graceMinutes: number; onChange: 'edit' | 'update'; paused: boolean; generation: number }): Promise<OutboxOp[]> {
    const { generation, ...planning } = options;
    const input = planInput(community);
    const duePosts = planning.paused ? [] : await this.posts.due(now);
    if (this.seenGeneration !== generation) {
      this.seen = await this.state.allSeen();
      this.seenGeneration = generation;
    }
    const seen = this.seen;
    return planAgainst(this.outbox, (outbox) => plan({ ...input, ...planning, now, outbox, duePosts, seen: (s) => seen.get(s) }));
  }

  private seen = new Map<string, DateTime>();
  private seenGeneration?: number;

  /** The summary for this community's organizers of what failed or was skipped, and of `loose` problems. */
  async reportOps(community: ScheduledCommunity, loose: LooseProblem[], now: DateTime): Promise<OutboxOp[]> {
    const { settings } = community.source();
    return planReport(await this.outbox.unreported(), loose, community.organizers, { settings, now, community: community.id });
  }

  /** Applies the planner's operations in one transaction; returns the edits, which need the platform. */
  async apply(ops: OutboxOp[], now: DateTime, checkedGen: number | undefined, report: TickReport): Promise<EditOp[]> {
    const edits: EditOp[] = [];
    if (ops.length === 0) return edits;
    // Remembered once committed: a rolled-back first sighting is planned again next tick.
    const seen = new Map<string, DateTime>();
    await this.db.transaction(async (tx) => {
      // The same stores on the transaction's Db, so that every write below commits or rolls back together.
      const [outbox, posts, state] = [new Outbox(tx, this.id), new ScheduledPosts(tx, this.id), new ScheduleState(tx, this.id)];
      for (const op of ops) {
        if (op.op === 'seen') seen.set(op.subject, await state.firstSeen(op.subject, op.at));
        else if (op.op === 'postDone') await posts.markDone(op.id);
        else if (op.op === 'setContentHash') await outbox.setContentHash(op.keys, op.contentHash);
        else if (op.op === 'edit') edits.push(op);
        else if (op.op === 'cancel') {
          await outbox.cancel(op.key, op.reason);
          report.cancelled++;
        } else if (op.op === 'report') {
          await outbox.insert(op.rows, now, checkedGen);
          await outbox.markReported(op.covers, now);
          report.reported += op.covers.length;
        } else {
          const added = new Set(await outbox.insert(op.rows, now, checkedGen));
          for (const row of op.rows.filter((r) => r.status === 'skipped' && added.has(r.deliveryKey))) {
            postsTotal.inc({ platform: row.platform, status: 'skipped' });
            report.skipped++;
          }
        }
      }
    });
    for (const [subject, at] of seen) this.seen.set(subject, at);
    return edits;
  }
}

/** What planning reads of a community now: the scheduler's passes and /announce previews read the same. */
export function planInput(community: Omit<ScheduledCommunity, 'organizers'>): PlanInput {
  const { catalogue, settings } = community.source();
  const rules = typeof community.rules === 'function' ? community.rules() : community.rules;
  return { catalogue, settings, rules, destinations: community.destinations, feeds: community.feeds, community: community.id };
}
