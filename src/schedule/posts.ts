import { DateTime } from 'luxon';
import type { ScheduledPostSummary } from '../commands/definition';
import type { Db } from '../store/db';
import { stamp } from './outbox';
import { statementCache } from './sql';

interface RawPost {
  id: number;
  due_at: string;
  text: string | null;
  event_id: string | null;
  created_by: string;
  created_at: string;
  status: ScheduledPostSummary['status'];
}

/** Organizers' ad-hoc posts (/announce schedule) in table scheduled_posts. */
export class ScheduledPosts {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  add(dueAt: DateTime, content: { text?: string; eventId?: string }, createdBy: string, now: DateTime): ScheduledPostSummary {
    const info = this.sql('INSERT INTO scheduled_posts (due_at, text, event_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(stamp(dueAt), content.text ?? null, content.eventId ?? null, createdBy, stamp(now));
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): ScheduledPostSummary | undefined {
    const raw = this.sql('SELECT * FROM scheduled_posts WHERE id = ?').get(id) as RawPost | undefined;
    return raw && toSummary(raw);
  }

  /** Still to be posted, soonest first. */
  scheduled(): ScheduledPostSummary[] {
    return this.select(`status = 'scheduled' ORDER BY due_at, id`);
  }

  due(now: DateTime): ScheduledPostSummary[] {
    return this.select(`status = 'scheduled' AND due_at <= ? ORDER BY due_at, id`, stamp(now));
  }

  /** Handed to the outbox: from here on its deliveries are tracked there. */
  markDone(id: number): void {
    this.sql(`UPDATE scheduled_posts SET status = 'done' WHERE id = ? AND status = 'scheduled'`).run(id);
  }

  /** False when it was no longer scheduled (already posted or cancelled). */
  cancel(id: number): boolean {
    return this.sql(`UPDATE scheduled_posts SET status = 'cancelled' WHERE id = ? AND status = 'scheduled'`).run(id).changes === 1;
  }

  private select(where: string, ...params: unknown[]): ScheduledPostSummary[] {
    return (this.sql(`SELECT * FROM scheduled_posts WHERE ${where}`).all(...params) as RawPost[]).map(toSummary);
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
