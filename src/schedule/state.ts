import { DateTime } from 'luxon';
import type { Db } from '../store/db';
import { sql } from 'kysely';
import { keyPrefix, SINGLE_COMMUNITY, type CommunityId } from '../community/scope';

const PAUSED = 'announcements.paused';
const SEEN_PREFIX = 'schedule.first-seen:';

export interface PauseInfo {
  by: string;
  at: DateTime;
}

/**
 * The scheduler's small persistent state in bot_state: pause switch and when each meetup was first seen, each
 * community's under its own key prefix.
 */
export class ScheduleState {
  private readonly seen = new Map<string, DateTime>();
  private readonly pausedKey: string;
  private readonly seenPrefix: string;
  constructor(
    private readonly db: Db,
    community: CommunityId = SINGLE_COMMUNITY,
  ) {
    this.pausedKey = keyPrefix(community) + PAUSED;
    this.seenPrefix = keyPrefix(community) + SEEN_PREFIX;
  }

  async paused(): Promise<PauseInfo | undefined> {
    const raw = await this.read(this.pausedKey);
    if (raw === undefined) return undefined;
    const { by, at } = JSON.parse(raw) as { by: string; at: string };
    return { by, at: DateTime.fromISO(at, { zone: 'utc' }) };
  }

  /** Keeps the first pause's author and time: pausing twice must not hide how long posts have been held. */
  async pause(by: string, at: DateTime): Promise<void> {
    await this.insert(this.pausedKey, JSON.stringify({ by, at: at.toUTC().toISO() }));
  }

  async resume(): Promise<boolean> {
    return (await this.db.run(sql`DELETE FROM bot_state WHERE key = ${this.pausedKey}`)) === 1;
  }

  /**
   * When the bot first saw a subject (a meetup id, a call-for-talks deadline). The first call records `now`;
   * later calls, in this or any process, return that first time.
   */
  async firstSeen(subject: string, now: DateTime): Promise<DateTime> {
    const cached = this.seen.get(subject);
    if (cached) return cached;
    const key = this.seenPrefix + subject;
    await this.insert(key, now.toUTC().toISO()!);
    const at = DateTime.fromISO((await this.read(key))!, { zone: 'utc' });
    this.seen.set(subject, at);
    return at;
  }

  /** Every subject first seen so far: what a planning pass reads once instead of asking per meetup. */
  async allSeen(): Promise<Map<string, DateTime>> {
    const rows = await this.db.rows(sql<{ key: string; value: string }>`SELECT key, value FROM bot_state WHERE key LIKE ${this.seenPrefix + '%'}`);
    return new Map(rows.map((r) => [r.key.slice(this.seenPrefix.length), this.seen.get(r.key.slice(this.seenPrefix.length)) ?? DateTime.fromISO(r.value, { zone: 'utc' })]));
  }

  private async insert(key: string, value: string): Promise<void> {
    await this.db.run(sql`INSERT INTO bot_state (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO NOTHING`);
  }

  private async read(key: string): Promise<string | undefined> {
    const row = await this.db.row(sql<{ value: string }>`SELECT value FROM bot_state WHERE key = ${key}`);
    return row?.value;
  }
}
