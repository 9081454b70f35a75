import { DateTime } from 'luxon';
import type { Db } from '../store/db';
import { statementCache } from './sql';

const PAUSED = 'announcements.paused';
const SEEN_PREFIX = 'schedule.first-seen:';

export interface PauseInfo {
  by: string;
  at: DateTime;
}

/** The scheduler's small persistent state in bot_state: pause switch and when each meetup was first seen. */
export class ScheduleState {
  private readonly seen = new Map<string, DateTime>();
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  paused(): PauseInfo | undefined {
    const raw = this.read(PAUSED);
    if (raw === undefined) return undefined;
    const { by, at } = JSON.parse(raw) as { by: string; at: string };
    return { by, at: DateTime.fromISO(at, { zone: 'utc' }) };
  }

  /** Keeps the first pause's author and time: pausing twice must not hide how long posts have been held. */
  pause(by: string, at: DateTime): void {
    this.sql('INSERT OR IGNORE INTO bot_state (key, value) VALUES (?, ?)').run(PAUSED, JSON.stringify({ by, at: at.toUTC().toISO() }));
  }

  resume(): boolean {
    return this.sql('DELETE FROM bot_state WHERE key = ?').run(PAUSED).changes === 1;
  }

  /**
   * When the bot first saw a subject (a meetup id, a call-for-talks deadline). The first call records `now`;
   * later calls, in this or any process, return that first time.
   */
  firstSeen(subject: string, now: DateTime): DateTime {
    const cached = this.seen.get(subject);
    if (cached) return cached;
    const key = SEEN_PREFIX + subject;
    this.sql('INSERT OR IGNORE INTO bot_state (key, value) VALUES (?, ?)').run(key, now.toUTC().toISO());
    const at = DateTime.fromISO(this.read(key)!, { zone: 'utc' });
    this.seen.set(subject, at);
    return at;
  }

  /** Without recording: for previews, which must not change what the scheduler will do. */
  seenAt(subject: string): DateTime | undefined {
    const cached = this.seen.get(subject);
    if (cached) return cached;
    const raw = this.read(SEEN_PREFIX + subject);
    return raw === undefined ? undefined : DateTime.fromISO(raw, { zone: 'utc' });
  }

  private read(key: string): string | undefined {
    const row = this.sql('SELECT value FROM bot_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }
}
