import { sql } from 'kysely';
import type { Db } from '../../store/db';

export interface ScheduledEventLink {
  event_id: string;
  discord_event_id: string;
  content_hash: string;
}

/**
 * Which Discord scheduled event stands for which meetup, per guild, with the hash of what was last sent: the
 * table discord_scheduled_events, so a restart neither duplicates nor needlessly updates an event.
 */
export class ScheduledEventLinks {
  constructor(
    private readonly db: Db,
    private readonly guildId: string,
  ) {}

  all(): Promise<ScheduledEventLink[]> {
    return this.db.rows(sql<ScheduledEventLink>`SELECT event_id, discord_event_id, content_hash FROM discord_scheduled_events WHERE guild_id = ${this.guildId}`);
  }

  async save(eventId: string, discordEventId: string, hash: string): Promise<void> {
    await this.db.run(
      sql`INSERT INTO discord_scheduled_events (guild_id, event_id, discord_event_id, content_hash) VALUES (${this.guildId}, ${eventId}, ${discordEventId}, ${hash})
          ON CONFLICT (guild_id, event_id) DO UPDATE SET discord_event_id = excluded.discord_event_id, content_hash = excluded.content_hash`,
    );
  }

  async forget(eventId: string): Promise<void> {
    await this.db.run(sql`DELETE FROM discord_scheduled_events WHERE guild_id = ${this.guildId} AND event_id = ${eventId}`);
  }
}
