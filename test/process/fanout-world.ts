/**
 * A fan-out across many communities for replica tests and benchmarks: COMMUNITIES_DIR folders with 20 Discord
 * announce channels each (their own server on the fake Discord) and one upcoming meetup each, announced by the
 * shipped rules. Announcements start paused (the pause switch in the shared database, as `/announce pause` sets
 * it), so every replica is up before the fan-out; `resume` lets it go.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { Db } from '../../src/store/db';
import type { FakeDiscord } from '../fakes/discord';
import { ROOT } from '../helpers/built';

export const PER_COMMUNITY = 20;
const guildOf = (c: number) => String(1200000000000001000n + BigInt(c));
export const channelOf = (c: number, i: number) => String(1300000000000100000n + BigInt(c * PER_COMMUNITY + i));
const slug = (c: number) => `community-${c}`;
/** Every replica plans and delivers every 2 s (node-cron with seconds), so the fan-out starts right after resume. */
export const FAST_CRON = '*/2 * * * * *';

export interface FanoutWorld {
  root: string;
  channels: string[];
  /** What every replica's environment has besides its database: these communities on the fake Discord. */
  env: Record<string, string>;
  /** The channel's announcements (messages not answering an interaction). */
  posts(channel: string): { embeds?: unknown; content?: string }[];
  posted(): number;
  resume(db: Db): Promise<void>;
}

export async function fanoutWorld(dir: string, communities: number, discord: FakeDiscord, db: Db): Promise<FanoutWorld> {
  const root = path.join(dir, 'communities');
  const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 10 }).toISODate();
  const channels: string[] = [];
  for (let c = 0; c < communities; c++) {
    const folder = path.join(root, slug(c));
    mkdirSync(path.join(folder, 'events'), { recursive: true });
    copyFileSync(path.join(ROOT, 'data', 'announcements.yml'), path.join(folder, 'announcements.yml'));
    const mine = Array.from({ length: PER_COMMUNITY }, (_, i) => channelOf(c, i));
    for (const [i, channel] of mine.entries()) discord.addChannel(channel, `news-${c}-${i}`, guildOf(c));
    channels.push(...mine);
    writeFileSync(path.join(folder, 'settings.yml'), [`name: Community ${c}`, `hashtag: "#c${c}"`, `discord: { guild: "${guildOf(c)}", announce: [${mine.map((m) => `"${m}"`).join(', ')}] }`].join('\n'));
    writeFileSync(path.join(folder, 'events', `meetup-${c}.yml`), [`title: Meetup of community ${c}`, `start: "${day} 18:30"`, 'end: "21:00"', 'venue: Example GmbH'].join('\n'));
    await db.run(sql`INSERT INTO bot_state (key, value) VALUES (${`${slug(c)}/announcements.paused`}, ${JSON.stringify({ by: 'test', at: DateTime.utc().toISO() })})`);
  }
  const posts = (channel: string) => discord.messages(channel).filter((m) => !m.interactionId);
  return {
    root,
    channels,
    env: {
      COMMUNITIES_DIR: root,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
      SCHEDULE_CRON: FAST_CRON,
    },
    posts,
    posted: () => channels.reduce((n, channel) => n + posts(channel).length, 0),
    resume: async (shared) => void (await shared.run(sql`DELETE FROM bot_state WHERE key LIKE ${'%/announcements.paused'}`)),
  };
}
