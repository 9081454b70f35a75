/**
 * Three replicas (`npm start` processes) on one database deliver one fan-out: an announcement to 1,000 Discord
 * channels, 20 in each of 50 communities (COMMUNITIES_DIR), against the fake Discord enforcing Discord's global
 * limit of 50 requests a second. At two points a seeded random generator picks (SREMUC_REPLICAS_SEED replays
 * one), a random replica is SIGKILLed mid-fan-out; the first victim is started again. When the outbox says every
 * post is sent, each channel holds its community's announcement exactly once: nothing lost, nothing posted twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../src/store/db';
import { sharedDb } from '../helpers/db';
import { prng } from '../helpers/prng';
import { FakeDiscord } from '../fakes/discord';
import { fanoutWorld, PER_COMMUNITY } from './fanout-world';
import { startBot, type BotProcess } from './harness';

const COMMUNITIES = 50;
const CHANNELS = COMMUNITIES * PER_COMMUNITY;
const SEED = Number(process.env.SREMUC_REPLICAS_SEED ?? 18);

let dir: string;
let discord: FakeDiscord;
let db: Db | undefined;
const replicas: BotProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-replicas-'));
  discord = await FakeDiscord.start({ channels: [] });
});

afterEach(async () => {
  for (const r of replicas.splice(0)) r.cleanup();
  await db?.close();
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

it(`three replicas, two of them SIGKILLed mid-fan-out (seed ${SEED}): ${CHANNELS} channels in ${COMMUNITIES} communities, each announced exactly once`, async () => {
  const random = prng(SEED);
  const shared = sharedDb(dir);
  // Opened first: on PostgreSQL that creates the test's schema (and migrates it) before the replicas connect.
  db = await shared.open();
  const world = await fanoutWorld(dir, COMMUNITIES, discord, db);
  discord.setGlobalRateLimit(50);
  const env = {
    ...shared.env,
    ...world.env,
    // A dead replica's claims come back after 5 s, and its unanswered posts settle for 5 s: the fake stores a
    // post at once, so that is enough here (production keeps 30 s and 60 s).
    DELIVERY_CLAIM_SECONDS: '5',
    DELIVERY_SETTLE_SECONDS: '5',
  };
  const start = () => startBot(env).then((bot) => (replicas.push(bot), bot));
  await Promise.all([start(), start(), start()]);
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
  for (const [index, channel] of world.channels.entries()) {
    const here = world.posts(channel);
    if (here.length === 0) lost.push(channel);
    if (here.length > 1) doubled.push(`${channel} x${here.length}`);
    if (here[0]) expect(JSON.stringify(here[0].embeds ?? here[0].content)).toContain(`Meetup of community ${Math.floor(index / PER_COMMUNITY)}`);
  }
  expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
  for (const r of replicas) expect(await r.terminate()).toEqual({ code: 0, signal: null });
}, 120_000);
