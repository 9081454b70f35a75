/**
 * A fan-out across many communities for replica tests and benchmarks: COMMUNITIES_DIR folders, each with its own
 * server on the fake Discord (its Discord announce channels there) and, with a fake Slack, channels in one of a few
 * Slack workspaces that installed the app through OAuth (several communities share a workspace, each naming its
 * own channels, as `slack: { team, announce }` allows), and one upcoming meetup each, announced by the shipped
 * rules. Announcements start paused (the pause switch in the shared database, as `/announce pause` sets it), so
 * every replica is up (and every workspace installed) before the fan-out; `resume` lets it go.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { Db } from '../../src/store/db';
import type { FakeDiscord } from '../fakes/discord';
import type { FakeSlack } from '../fakes/slack';
import { freeLoopbackPort } from '../fakes/loopback';
import { ROOT } from '../helpers/built';
import { install } from '../helpers/slack-install';

/** Announce channels per community (split between Discord and Slack when the world has a Slack). */
export const PER_COMMUNITY = 20;
const guildOf = (c: number) => String(1200000000000001000n + BigInt(c));
const discordChannelOf = (c: number, i: number) => String(1300000000000100000n + BigInt(c * PER_COMMUNITY + i));
const slackChannelOf = (c: number, i: number) => `C${String(c).padStart(3, '0')}N${String(i).padStart(2, '0')}`;
const slug = (c: number) => `community-${c}`;
/** Every replica plans and delivers every 2 s (node-cron with seconds), so the fan-out starts right after resume. */
export const FAST_CRON = '*/2 * * * * *';
const SIGNING_SECRET = 'fanout-signing-secret';

export interface FanoutOptions {
  discord: FakeDiscord;
  /** With a fake Slack: half of each community's channels are Slack channels, in `workspaces` workspaces. */
  slack?: FakeSlack;
  workspaces?: number;
}

export interface Channel {
  platform: 'discord' | 'slack';
  id: string;
  community: number;
}

export interface FanoutWorld {
  root: string;
  channels: Channel[];
  /** What every replica's environment has besides its database and port: these communities on the fakes. */
  env: Record<string, string>;
  /** The port of PUBLIC_URL: start one replica on it, as a load balancer's address reaches one of them. */
  publicPort: number;
  /** Each workspace installs the app (OAuth, through the replica at PUBLIC_URL); nothing without a Slack. */
  installWorkspaces(): Promise<void>;
  /** The channel's announcements, each as JSON (Discord: messages not answering an interaction; Slack: the bot's posts). */
  posts(channel: Channel): string[];
  posted(): number;
  resume(db: Db): Promise<void>;
}

export async function fanoutWorld(dir: string, communities: number, db: Db, options: FanoutOptions): Promise<FanoutWorld> {
  const { discord, slack } = options;
  const root = path.join(dir, 'communities');
  const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 10 }).toISODate();
  const teams = Array.from({ length: slack ? (options.workspaces ?? 1) : 0 }, (_, w) => `T0WORK${String(w).padStart(2, '0')}`);
  const perPlatform = slack ? { discord: PER_COMMUNITY / 2, slack: PER_COMMUNITY / 2 } : { discord: PER_COMMUNITY, slack: 0 };
  const channels: Channel[] = [];
  for (let c = 0; c < communities; c++) {
    const folder = path.join(root, slug(c));
    mkdirSync(path.join(folder, 'events'), { recursive: true });
    copyFileSync(path.join(ROOT, 'data', 'announcements.yml'), path.join(folder, 'announcements.yml'));
    const onDiscord = Array.from({ length: perPlatform.discord }, (_, i) => discordChannelOf(c, i));
    const onSlack = Array.from({ length: perPlatform.slack }, (_, i) => slackChannelOf(c, i));
    const team = teams[c % Math.max(1, teams.length)];
    for (const [i, id] of onDiscord.entries()) discord.addChannel(id, `news-${c}-${i}`, guildOf(c));
    for (const id of onSlack) slack!.addChannel(id, team!);
    channels.push(...onDiscord.map((id) => ({ platform: 'discord' as const, id, community: c })), ...onSlack.map((id) => ({ platform: 'slack' as const, id, community: c })));
    const list = (ids: string[]) => ids.map((m) => `"${m}"`).join(', ');
    writeFileSync(
      path.join(folder, 'settings.yml'),
      [
        `name: Community ${c}`,
        `hashtag: "#c${c}"`,
        `discord: { guild: "${guildOf(c)}", announce: [${list(onDiscord)}] }`,
        ...(team ? [`slack: { team: ${team}, announce: [${list(onSlack)}] }`] : []),
      ].join('\n'),
    );
    writeFileSync(path.join(folder, 'events', `meetup-${c}.yml`), [`title: Meetup of community ${c}`, `start: "${day} 18:30"`, 'end: "21:00"', 'venue: Example GmbH'].join('\n'));
    await db.run(sql`INSERT INTO bot_state (key, value) VALUES (${`${slug(c)}/announcements.paused`}, ${JSON.stringify({ by: 'test', at: DateTime.utc().toISO() })})`);
  }
  const publicPort = await freeLoopbackPort();
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const oauth = { clientId: '18.18', clientSecret: 'fanout-client-secret', redirectUri: `${publicUrl}/slack/oauth_redirect` };
  slack?.enableOAuth(oauth);
  // The bot's announcements there: on Discord messages not answering an interaction, on Slack posts with its metadata.
  const own = (channel: Channel): unknown[] =>
    channel.platform === 'discord' ? discord.messages(channel.id).filter((m) => !m.interactionId) : slack!.messages(channel.id).filter((m) => m.metadata?.event_type === 'sremuc_post');
  const posts = (channel: Channel) => own(channel).map((m) => JSON.stringify(m));
  return {
    root,
    channels,
    publicPort,
    env: {
      COMMUNITIES_DIR: root,
      PUBLIC_URL: publicUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
      ...(slack && {
        SLACK_CLIENT_ID: oauth.clientId,
        SLACK_CLIENT_SECRET: oauth.clientSecret,
        SLACK_STATE_SECRET: 'fanout-state-secret',
        SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
      }),
      SCHEDULE_CRON: FAST_CRON,
    },
    async installWorkspaces() {
      for (const team of teams) {
        const answer = await install(publicUrl, slack!, team);
        if (answer.status !== 200) throw new Error(`installing into ${team} answered ${answer.status}: ${answer.body}`);
      }
    },
    posts,
    posted: () => channels.reduce((n, channel) => n + own(channel).length, 0),
    resume: async (shared) => void (await shared.run(sql`DELETE FROM bot_state WHERE key LIKE ${'%/announcements.paused'}`)),
  };
}
