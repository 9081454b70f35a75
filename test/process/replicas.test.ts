/**
 * Three replicas (`npm start` processes) on one database deliver one fan-out: an announcement to 1,000 channels,
 * 20 in each of 50 communities (COMMUNITIES_DIR): 10 in the community's own Discord server, against the fake
 * Discord enforcing Discord's global limit of 50 requests a second, and 10 in one of 10 Slack workspaces that
 * installed the app through OAuth (five communities to a workspace), against the fake Slack refusing a channel's
 * second post within a second (429, Retry-After) and a channel of another workspace (channel_not_found). At two
 * points a seeded random generator picks (SREMUC_REPLICAS_SEED replays one), a random replica is SIGKILLed
 * mid-fan-out; the first victim is started again. When the outbox says every post is sent, each channel on both
 * platforms holds its community's announcement exactly once: nothing lost, nothing posted twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../src/store/db';
import { sharedDb } from '../helpers/db';
import { prng } from '../helpers/prng';
import { FakeDiscord } from '../fakes/discord';
import { FakeSlack } from '../fakes/slack';
import { fanoutWorld, PER_COMMUNITY } from './fanout-world';
import { startBot, type BotProcess } from './harness';

const COMMUNITIES = 50;
const WORKSPACES = 10;
const CHANNELS = COMMUNITIES * PER_COMMUNITY;
const SEED = Number(process.env.SREMUC_REPLICAS_SEED ?? 18);

let dir: string;
let discord: FakeDiscord;
let slack: FakeSlack;
let db: Db | undefined;
const replicas: BotProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-replicas-'));
  discord = await FakeDiscord.start({ channels: [] });
  slack = await FakeSlack.start();
});

afterEach(async () => {
  for (const r of replicas.splice(0)) r.cleanup();
  await db?.close();
  await discord.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

it(`three replicas, two of them SIGKILLed mid-fan-out (seed ${SEED}): ${CHANNELS} Discord and Slack channels in ${COMMUNITIES} communities and ${WORKSPACES} workspaces, each announced exactly once`, async () => {
  const random = prng(SEED);
  const shared = sharedDb(dir);
  // Opened first: on PostgreSQL that creates the test's schema (and migrates it) before the replicas connect.
  db = await shared.open();
  const world = await fanoutWorld(dir, COMMUNITIES, db, { discord, slack, workspaces: WORKSPACES });
  discord.setGlobalRateLimit(50);
  slack.limitPostsPerChannel(1);
  const env = {
    ...shared.env,
    ...world.env,
    // A dead replica's claims come back after 5 s, and its unanswered posts settle for 5 s: the fake stores a
    // post at once, so that is enough here (production keeps 30 s and 60 s).
    DELIVERY_CLAIM_SECONDS: '5',
    DELIVERY_SETTLE_SECONDS: '5',
  };
  const start = (extra: Record<string, string> = {}) => startBot({ ...env, ...extra }).then((bot) => (replicas.push(bot), bot));
  // One replica at the public address, where the workspaces' admins install the app.
  await Promise.all([start({ HTTP_PORT: String(world.publicPort) }), start(), start()]);
  await world.installWorkspaces();
  await world.resume(db);

  // Two kill points within the fan-out; the first victim comes back as a new replica.
  const points = [50 + Math.floor(random() * 400), 500 + Math.floor(random() * 400)];
  for (const [n, point] of points.entries()) {
    await until(() => world.posted() >= point);
    const victim = replicas.splice(Math.floor(random() * replicas.length), 1)[0]!;
    expect((await victim.kill()).signal ?? 'SIGKILL').toBe('SIGKILL');
    victim.cleanup();
    if (n === 0) await start();
  }

  const sent = async () => Number((await db!.row(sql<{ n: number }>`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'rule' AND status = 'sent'`))!.n);
  await until(async () => (await sent()) === CHANNELS);
  const lost: string[] = [];
  const doubled: string[] = [];
  for (const channel of world.channels) {
    const here = world.posts(channel);
    const name = `${channel.platform} ${channel.id}`;
    if (here.length === 0) lost.push(name);
    if (here.length > 1) doubled.push(`${name} x${here.length}`);
    if (here[0]) expect(here[0]).toContain(`Meetup of community ${channel.community}`);
  }
  expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
  expect(world.channels.filter((c) => c.platform === 'slack')).toHaveLength(CHANNELS / 2);
  // Each workspace's posts went out with its own token: a channel of another workspace would not have taken them.
  expect(slack.callsTo('chat.postMessage').filter((c) => c.error === 'channel_not_found')).toEqual([]);
  for (const r of replicas) expect(await r.terminate()).toEqual({ code: 0, signal: null });
}, 120_000);
