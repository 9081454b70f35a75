/**
 * Fan-out of one announcement (the real "announce" rule with the agenda embed) to 500 Discord channels through
 * the real Scheduler and DiscordChat (discord.js REST) against the fake Discord enforcing Discord's global limit
 * of 50 requests per second (429 with X-RateLimit-Global beyond it).
 *
 * Reports the achieved message creates per second as a fraction of 50 (goal: at least 90 %) and the 429s seen
 * (goal: none repeated), for the scheduler's own pacing and, as the baseline in the same run, for the same
 * scheduler with its pacing off (discord.js's own global limiter and 429 handling only), each in one tick. The paced
 * one must reach every channel in that tick; neither may post twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../src/catalogue/catalogue';
import type { Destination } from '../src/chat/adapter';
import { ManualClock } from '../test/helpers/clock';
import { createLogger } from '../src/log';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../src/schedule/pacer';
import { Scheduler } from '../src/schedule/scheduler';
import { openDatabase } from '../src/store/db';
import { startDiscordBot } from '../test/chat/discord-harness';
import { berlin, makeSettings } from '../test/helpers/events';
import { makeServices } from '../test/helpers/services';
import { autumnMeetup, oneCommunity } from '../test/schedule/harness';

const CHANNELS = 500;
const GLOBAL_LIMIT = 50;
const ORGANIZERS = '1399999999999999999';

interface Result {
  label: string;
  seconds: number;
  creates: number;
  perSecond: number;
  rateLimited: number;
  globalRateLimited: number;
  /** Channels that got their post in this one tick. */
  delivered: number;
  /** Channels that got it more than once. */
  doubled: number;
}

async function fanOut(label: string, rateLimits: RateLimits): Promise<Result> {
  const channels = Array.from({ length: CHANNELS }, (_, i) => String(1300000000000001000n + BigInt(i)));
  const destinations: Destination[] = channels.map((channel) => ({ platform: 'discord', channel }));
  const bot = await startDiscordBot({ commands: new Map(), services: makeServices(), fake: { channels: [...channels, ORGANIZERS] } });
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-fanout-'));
  try {
    bot.discord.setGlobalRateLimit(GLOBAL_LIMIT);
    const clock = new ManualClock(berlin('2026-10-20T12:00'));
    let published = false;
    const scheduler = new Scheduler({
      db: await openDatabase(path.join(dir, 'bot.db')),
      clock,
      posters: [bot.chat],
      communities: oneCommunity(() => ({ catalogue: new Catalogue(published ? [autumnMeetup()] : []), settings: makeSettings() }), destinations, [{ platform: 'discord', channel: ORGANIZERS }]),
      log: createLogger('silent'),
      graceMinutes: 120,
      onChange: 'edit',
      rateLimits,
    });
    // A running bot: the lease is held and the first planning pass is done (its rows are looked up first) when
    // the meetup is published and its announcement fans out.
    await scheduler.tick();
    published = true;
    bot.discord.requests.length = 0;
    const started = performance.now();
    await scheduler.tick();
    const seconds = (performance.now() - started) / 1000;
    const creates = bot.discord.requestsTo('POST', /^\/channels\/\d+\/messages$/).filter((r) => r.status === 200).length;
    const delivered = channels.filter((c) => bot.discord.messages(c).length >= 1).length;
    const doubled = channels.filter((c) => bot.discord.messages(c).length > 1).length;
    return {
      label,
      seconds,
      creates,
      perSecond: creates / seconds,
      rateLimited: bot.discord.rateLimits.total,
      globalRateLimited: bot.discord.rateLimits.global,
      delivered,
      doubled,
    };
  } finally {
    await bot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(r: Result): string {
  const share = (100 * r.perSecond) / GLOBAL_LIMIT;
  return (
    `  ${r.label.padEnd(38)} ${r.creates} posts in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)} req/s = ${share.toFixed(0)} % of ${GLOBAL_LIMIT}` +
    `; 429s: ${r.rateLimited} (global ${r.globalRateLimited}); channels posted in this tick: ${r.delivered} of ${CHANNELS}, twice: ${r.doubled}`
  );
}

async function main(): Promise<void> {
  console.log(`fan-out of one announcement to ${CHANNELS} Discord channels, fake Discord enforcing ${GLOBAL_LIMIT} req/s global`);
  const paced = await fanOut(`scheduler pacing (${DEFAULT_RATE_LIMITS.perSecond.discord}/s)`, DEFAULT_RATE_LIMITS);
  console.log(line(paced));
  const baseline = await fanOut('baseline: no pacing (discord.js only)', { perChannelMs: {}, perSecond: {} });
  console.log(line(baseline));
  console.log(
    `  paced vs baseline: ${paced.delivered} vs ${baseline.delivered} of ${CHANNELS} channels in the tick, ${paced.rateLimited} vs ${baseline.rateLimited} 429s` +
      `; goal >= 90 % of ${GLOBAL_LIMIT}: ${(100 * paced.perSecond) / GLOBAL_LIMIT >= 90 ? 'met' : 'MISSED'}`,
  );
  // The paced fan-out must reach every channel in its tick; neither may post anywhere twice. Without pacing, what
  // discord.js's own queue does not get out within the deliverer's timeout goes back to the outbox for a later
  // tick, so the baseline reaching fewer channels here is its result, not a failure.
  if (paced.delivered !== CHANNELS || paced.doubled > 0 || baseline.doubled > 0) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
