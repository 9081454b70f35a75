import { Routes, type REST } from 'discord.js';
import { sql } from 'kysely';
import type { Db } from '../../store/db';

const PAGE = 100;
const PAGES_MAX = 50;

/**
 * The members who pressed "Interested" on a meetup's native Scheduled Event (GET guild scheduled event users,
 * paged by user id). Only events the bot synced itself are known (discord_scheduled_events); undefined for the
 * rest. Discord does not say whether an interested member will come, so organizers see these next to the
 * RSVPs, not among them.
 */
export function interestedReader(db: Db, rest: REST, guildId: string): (eventId: string) => Promise<string[] | undefined> {
  return async (eventId) => {
    const row = await db.row(sql<{ discord_event_id: string }>`SELECT discord_event_id FROM discord_scheduled_events WHERE guild_id = ${guildId} AND event_id = ${eventId}`);
    const discordEventId = row?.discord_event_id;
    if (!discordEventId) return undefined;
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < PAGES_MAX; page++) {
      const query = new URLSearchParams({ limit: String(PAGE), ...(after ? { after } : {}) });
      const users = (await rest.get(Routes.guildScheduledEventUsers(guildId, discordEventId), { query })) as { user: { id: string } }[];
      ids.push(...users.map((u) => u.user.id));
      if (users.length < PAGE) break;
      after = users[users.length - 1]!.user.id;
    }
    return ids;
  };
}
