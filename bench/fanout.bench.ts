/**
 * Fan-out of one announcement (the real "announce" rule with the agenda embed) to 500 Discord channels through
 * the real Scheduler and DiscordChat (discord.js REST) against the fake Discord enforcing Discord's global limit
 * of 50 requests per second (429 with X-RateLimit-Global beyond it).
 *
 * Reports the achieved message creates per second as a fraction of 50 (goal: at least 90 %) and the 429s seen
 * (goal: none repeated), for the scheduler (one tick, its own pacing) and, as the baseline in alternating rounds
 * of the same run, for discord.js alone: the same 500 posts handed to the same DiscordChat at once, under
 * @discordjs/rest's own global limit, buckets and 429 retries. The median of the scheduler's rounds counts; each
 * of them must reach every channel in its tick, and no round may post twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../src/catalogue/catalogue';
import type { Destination } from '../src/chat/adapter';
import { REST } from 'discord.js';
import { DiscordPoster } from '../src/chat/discord/posting';
import { message } from '../src/chat/message';
import { ManualClock } from '../test/helpers/clock';
import { createLogger } from '../src/log';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../src/schedule/pacer';
import { Scheduler } from '../src/schedule/scheduler';
import { openDatabase } from '../src/store/db';
import { startDiscordBot, type DiscordBot } from '../test/chat/discord-harness';
import { berlin, makeSettings } from '../test/helpers/events';
import { makeServices } from '../test/helpers/services';
import { autumnMeetup, oneCommunity } from '../test/schedule/harness';
import { median, ROUNDS } from './harness';

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

/** Readies one round's fan-out on a bot connected to the fake, and returns the fan-out itself, which is timed. */
type Prepare = (bot: DiscordBot, channels: string[], dir: string) => Promise<() => Promise<unknown>>;

/** Through the real Scheduler: a running bot (lease held, first planning pass done) sees the meetup published. */
function throughScheduler(rateLimits: RateLimits): Prepare {
  return async (bot, channels, dir) => {
    const destinations: Destination[] = channels.map((channel) => ({ platform: 'discord', channel }));
    let published = false;
    const scheduler = new Scheduler({
      db: await openDatabase(path.join(dir, 'bot.db')),
      clock: new ManualClock(berlin('2026-10-20T12:00')),
      posters: [bot.chat],
      communities: oneCommunity(() => ({ catalogue: new Catalogue(published ? [autumnMeetup()] : []), settings: makeSettings() }), destinations, [{ platform: 'discord', channel: ORGANIZERS }]),
      log: createLogger('silent'),
      graceMinutes: 120,
      onChange: 'edit',
      rateLimits,
    });
    await scheduler.tick();
    return () => {
      published = true;
      return scheduler.tick();
    };
  };
}

/**
 * discord.js alone: every post handed at once to a REST client with @discordjs/rest's defaults (the bot's own
 * client gives a global 429 back to the scheduler instead of waiting it out), which queues them under its own
 * global limit and buckets and retries what draws a 429. A post that still fails shows as a channel not reached.
 */
const discordJsAlone: Prepare = async (bot, channels) => {
  const rest = new REST({ version: '10', api: bot.discord.apiUrl }).setToken(bot.discord.token);
  const poster = new DiscordPoster(rest, bot.discord.applicationId);
  const model = message({ title: autumnMeetup().title, intro: ['The autumn meetup is out: agenda and venue below.'] });
  return () => Promise.all(channels.map((channel, i) => poster.post(channel, model, { deliveryKey: `bench-${i}` }).catch(() => undefined)));
};

async function fanOut(label: string, prepare: Prepare): Promise<Result> {
  const channels = Array.from({ length: CHANNELS }, (_, i) => String(1300000000000001000n + BigInt(i)));
  const bot = await startDiscordBot({ commands: new Map(), services: makeServices(), fake: { channels: [...channels, ORGANIZERS] } });
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-fanout-'));
  try {
    bot.discord.setGlobalRateLimit(GLOBAL_LIMIT);
    const fanOutNow = await prepare(bot, channels, dir);
    bot.discord.requests.length = 0;
    const started = performance.now();
    await fanOutNow();
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
    `; 429s: ${r.rateLimited} (global ${r.globalRateLimited}); channels reached: ${r.delivered} of ${CHANNELS}, twice: ${r.doubled}`
  );
}

async function main(): Promise<void> {
  console.log(`fan-out of one announcement to ${CHANNELS} Discord channels, fake Discord enforcing ${GLOBAL_LIMIT} req/s global`);
  const pacedLabel = `scheduler pacing (${DEFAULT_RATE_LIMITS.perSecond.discord}/s)`;
  const paced: Result[] = [];
  const baseline: Result[] = [];
  // Alternating rounds, as every benchmark here: a machine getting busier over the run favours neither side.
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? ['paced', 'baseline'] : ['baseline', 'paced']) {
      const result = side === 'paced' ? await fanOut(pacedLabel, throughScheduler(DEFAULT_RATE_LIMITS)) : await fanOut('baseline: discord.js alone, all at once', discordJsAlone);
      (side === 'paced' ? paced : baseline).push(result);
      console.log(line(result));
    }
  }
  const share = (r: Result) => (100 * r.perSecond) / GLOBAL_LIMIT;
  const pacedShare = median(paced.map(share));
  const repeated429s = paced.filter((r) => r.rateLimited > 1).length;
  console.log(
    `  scheduler, median of ${ROUNDS}: ${pacedShare.toFixed(0)} % of ${GLOBAL_LIMIT}, rounds with repeated 429s: ${repeated429s}` +
      ` (discord.js alone: ${median(baseline.map(share)).toFixed(0)} %, ${median(baseline.map((r) => r.rateLimited))} 429s)` +
      `; goal >= 90 % and no repeated 429s: ${pacedShare >= 90 && repeated429s === 0 ? 'met' : 'MISSED'}`,
  );
  // Every fan-out through the scheduler must reach every channel in its tick, and no round may post twice.
  if (paced.some((r) => r.delivered !== CHANNELS || r.doubled > 0) || baseline.some((r) => r.doubled > 0)) process.exitCode = 1;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
