import { DateTime } from 'luxon';
import type { ScheduledPostSummary } from '../commands/definition';
import type { Db } from '../store/db';
import { stamp } from './outbox';
import { sql, type RawBuilder } from 'kysely';
import { SINGLE_COMMUNITY, type CommunityId } from '../community/scope';

interface RawPost {
  id: number;
  due_at: string;
  text: string | null;
  event_id: string | null;
  created_by: string;
  created_at: string;
  status: ScheduledPostSummary['status'];
}

/** Organizers' ad-hoc posts (/announce schedule) in table scheduled_posts, each community's its own. */
export class ScheduledPosts {
  constructor(
    private readonly db: Db,
    private readonly community: CommunityId = SINGLE_COMMUNITY,
  ) {}

  async add(dueAt: DateTime, content: { text?: string; eventId?: string }, createdBy: string, now: DateTime): Promise<ScheduledPostSummary> {
    const raw = await this.db.row(
      sql<RawPost>`INSERT INTO scheduled_posts (due_at, text, event_id, created_by, created_at, community)
                   VALUES (${stamp(dueAt)}, ${content.text ?? null}, ${content.eventId ?? null}, ${createdBy}, ${stamp(now)}, ${this.community}) RETURNING *`,
    );
    return toSummary(raw!);
  }

  async get(id: number): Promise<ScheduledPostSummary | undefined> {
    const raw = await this.db.row(sql<RawPost>`SELECT * FROM scheduled_posts WHERE id = ${id} AND community = ${this.community}`);
    return raw && toSummary(raw);
  }

  /** Still to be posted, soonest first. */
  scheduled(): Promise<ScheduledPostSummary[]> {
    return this.select(sql`status = 'scheduled' ORDER BY due_at, id`);
  }

  due(now: DateTime): Promise<ScheduledPostSummary[]> {
    return this.select(sql`status = 'scheduled' AND due_at <= ${stamp(now)} ORDER BY due_at, id`);
  }

  /** Handed to the outbox: from here on its deliveries are tracked there. */
  async markDone(id: number): Promise<void> {
    await this.db.run(sql`UPDATE scheduled_posts SET status = 'done' WHERE id = ${id} AND status = 'scheduled' AND community = ${this.community}`);
  }

  /** False when it was no longer scheduled (already posted or cancelled). */
  async cancel(id: number): Promise<boolean> {
    return (await this.db.run(sql`UPDATE scheduled_posts SET status = 'cancelled' WHERE id = ${id} AND status = 'scheduled' AND community = ${this.community}`)) === 1;
  }

  private async select(where: RawBuilder<unknown>): Promise<ScheduledPostSummary[]> {
    return (await this.db.rows(sql<RawPost>`SELECT * FROM scheduled_posts WHERE community = ${this.community} AND ${where}`)).map(toSummary);
  }
}

function toSummary(raw: RawPost): ScheduledPostSummary {
  return {
    id: raw.id,
    dueAt: DateTime.fromISO(raw.due_at, { zone: 'utc' }),
    text: raw.text ?? undefined,
    eventId: raw.event_id ?? undefined,
    createdBy: raw.created_by,
    status: raw.status,
  };
}
