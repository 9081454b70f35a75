/**
 * Fan-out throughput of 1, 2 and 3 replicas (`npm start` processes on one database) against the platform's
 * limit: one announcement to 600 Discord channels (20 in each of 30 communities, COMMUNITIES_DIR), the fake
 * Discord enforcing Discord's global limit of 50 requests a second (429 with X-RateLimit-Global beyond it). The
 * replicas start with announcements paused; once all are up they are resumed, so every replica takes part from
 * the first post. Throughput is message creates per second between the
 * first and the last create, as a share of the 50/s limit; the limit is shared, so more replicas should hold it
 * (each replica's share shrinking), not exceed it or fall off. Rounds alternate the order (1, 2, 3 / 3, 2, 1 ...);
 * medians of the rounds. On PostgreSQL with SREMUC_TEST_DATABASE_URL (as the tests), else one SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeDiscord } from '../test/fakes/discord';
import { sharedDb } from '../test/helpers/db';
import { fanoutWorld, PER_COMMUNITY } from '../test/process/fanout-world';
import { median, startBot } from './harness';

const COMMUNITIES = 30;
const CHANNELS = COMMUNITIES * PER_COMMUNITY;
const LIMIT = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Result {
  perSecond: number;
  rateLimited: number;
  exactlyOnce: boolean;
}

async function fanOut(replicas: number): Promise<Result> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-bench-replicas-'));
  const discord = await FakeDiscord.start({ channels: [] });
  const bots: { stop(): Promise<void> }[] = [];
  const shared = sharedDb(dir);
  const db = await shared.open(); // creates the PostgreSQL schema before the replicas connect
  try {
    const world = await fanoutWorld(dir, COMMUNITIES, db, { discord });
    const env = {
      ...shared.env,
      ...world.env,
    };
    await Promise.all(Array.from({ length: replicas }, async () => bots.push(await startBot(env))));
    discord.setGlobalRateLimit(LIMIT);
    discord.requests.length = 0;
    await world.resume(db);
    const creates = () => discord.requestsTo('POST', /^\/channels\/\d+\/messages$/).filter((q) => q.status === 200);
    const deadline = performance.now() + 180_000;
    while (creates().length < CHANNELS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const done = creates();
    const seconds = (done[done.length - 1]!.time - done[0]!.time) / 1000;
    return { perSecond: (done.length - 1) / seconds, rateLimited: discord.rateLimits.total, exactlyOnce: world.channels.every((c) => world.posts(c).length === 1) };
  } finally {
    for (const bot of bots) await bot.stop();
    await db.close();
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`fan-out to ${CHANNELS} Discord channels in ${COMMUNITIES} communities by 1, 2 and 3 replicas on one database, fake Discord enforcing ${LIMIT} req/s global`);
  const sizes = (process.env.BENCH_REPLICAS ?? '1,2,3').split(',').map(Number);
  const results = new Map<number, Result[]>(sizes.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of round % 2 === 0 ? sizes : [...sizes].reverse()) results.get(n)!.push(await fanOut(n));
  }
  let ok = true;
  for (const n of sizes) {
    const rs = results.get(n)!;
    const share = median(rs.map((r) => r.perSecond)) / LIMIT;
    ok &&= rs.every((r) => r.exactlyOnce);
    console.log(
      `  ${n} replica${n > 1 ? 's' : ' '}: median ${(share * LIMIT).toFixed(1)} req/s = ${(100 * share).toFixed(0)} % of ${LIMIT} (rounds ${rs.map((r) => ((100 * r.perSecond) / LIMIT).toFixed(0)).join(', ')} %)` +
        `; 429s ${rs.map((r) => r.rateLimited).join(', ')}; each channel exactly once: ${rs.every((r) => r.exactlyOnce) ? 'yes' : 'NO'}`,
    );
  }
  if (!ok) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
