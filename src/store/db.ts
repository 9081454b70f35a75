import type Database from 'better-sqlite3';
import { openMigrated } from './migrate';

export type Db = Database.Database;

/**
 * The whole schema, as ordered migrations. Append new steps at the end; never edit a step that has shipped,
 * because existing databases have already run it (PRAGMA user_version records how far).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: call-for-talks submissions from the /cfp modal
  `CREATE TABLE cfp_submissions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     platform TEXT NOT NULL,
     user_id TEXT NOT NULL,
     user_name TEXT NOT NULL,
     title TEXT NOT NULL,
     abstract TEXT NOT NULL,
     length TEXT NOT NULL,
     speaker TEXT NOT NULL,
     contact TEXT NOT NULL,
     created_at TEXT NOT NULL,
     forwarded_at TEXT
   );
   CREATE INDEX cfp_submissions_user ON cfp_submissions(platform, user_id, created_at);`,
  // 2: organizers' ad-hoc posts (/announce schedule)
  `CREATE TABLE scheduled_posts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     due_at TEXT NOT NULL,
     text TEXT,
     event_id TEXT,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'done', 'cancelled'))
   );`,
  // 3: the outbox: one row per delivery, written before sending, marked after
  `CREATE TABLE outbox (
     delivery_key TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     channel TEXT NOT NULL,
     kind TEXT NOT NULL,
     event_id TEXT,
     due_at TEXT NOT NULL,
     payload TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT,
     message_id TEXT,
     last_error TEXT,
     reported_at TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX outbox_due ON outbox(status, due_at);`,
  // 4: ICS SEQUENCE per calendar component: bumps when the content hash changes
  `CREATE TABLE feed_sequences (
     uid TEXT PRIMARY KEY,
     content_hash TEXT NOT NULL,
     sequence INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     modified_at TEXT NOT NULL
   );`,
  // 5: leases so that two bot processes on one database never both post
  `CREATE TABLE leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
  // 6: small bot-wide state (announcements paused, ...)
  `CREATE TABLE bot_state (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // 7: Discord native scheduled events mirrored from the catalogue
  `CREATE TABLE discord_scheduled_events (
     guild_id TEXT NOT NULL,
     event_id TEXT NOT NULL,
     discord_event_id TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     PRIMARY KEY (guild_id, event_id)
   );`,
  // 8: exactly-once delivery: how long a post is worth making, which lease generation checked a row against the
  // platform and which one attempted it, when it was last attempted; leases carry a fencing generation and a
  // heartbeat counter (expiry is judged on each process's monotonic clock, not on the stored wall time)
  `ALTER TABLE outbox ADD COLUMN worth_until TEXT;
   ALTER TABLE outbox ADD COLUMN checked_gen INTEGER;
   ALTER TABLE outbox ADD COLUMN claimed_gen INTEGER;
   ALTER TABLE outbox ADD COLUMN attempted_at TEXT;
   ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE leases ADD COLUMN beat INTEGER NOT NULL DEFAULT 0;`,
  // 9: RSVPs in chat (src/rsvp): one answer per member and meetup, the waitlist in queue_no order; members'
  // real names and reminder choice; per meetup whether the organizers were told it is full
  `CREATE TABLE rsvps (
     event_id TEXT NOT NULL,
     platform TEXT NOT NULL,
     user_id TEXT NOT NULL,
     display_name TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('going', 'waitlist', 'declined')),
     queue_no INTEGER NOT NULL,
     answer TEXT,
     event_end TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (event_id, platform, user_id)
   );
   CREATE INDEX rsvps_queue ON rsvps(event_id, status, queue_no);
   CREATE INDEX rsvps_member ON rsvps(platform, user_id);
   CREATE TABLE rsvp_members (
     platform TEXT NOT NULL,
     user_id TEXT NOT NULL,
     real_name TEXT,
     reminders INTEGER CHECK (reminders IN (0, 1)),
     updated_at TEXT NOT NULL,
     PRIMARY KEY (platform, user_id)
   );
   CREATE TABLE rsvp_events (
     event_id TEXT PRIMARY KEY,
     full_noted_at TEXT,
     event_end TEXT NOT NULL
   );`,
];

/**
 * Opens (creating if needed) the database and brings the schema up to date, safely when several processes do it
 * at once; refuses a database newer than the code (see migrate.ts). ":memory:" works for tests.
 */
export function openDatabase(file: string): Db {
  return openMigrated(file, MIGRATIONS);
}
