/**
 * Discord /agenda as members feel it: interactions dispatched by the fake Discord gateway, 20 in flight, to the
 * bot started as `npm start` runs it (the real data/ loaded), against a process holding a bare discord.js client
 * that replies "ok". Latency is from dispatch to the answer: the interaction callback with the message, or, when
 * the bot defers, the edit that carries it. Goal: the bot's p99 at most 1.2x the bare client's.
 */
import { toApplicationCommands } from '../src/chat/discord/commands';
import { loadCommands } from '../src/commands/registry';
import { FakeDiscord } from '../test/fakes/discord';
import { alternate, CpuTally, percentile, printCpu, printUnloaded, singleRequests, startBare, startBot } from './harness';

const CONCURRENCY = 20;
const ROUND_S = 2;
const SINGLE_REQUESTS = 200;

async function answerP99(discord: FakeDiscord, seconds: number): Promise<number> {
  return (await answers(discord, seconds)).value;
}

async function answers(discord: FakeDiscord, seconds: number): Promise<{ value: number; requests: number }> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await answer(discord);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { value: percentile(latencies, 99), requests: latencies.length };
}

/** One /agenda, until its answer is there: the interaction callback with the message, or the edit after a deferral. */
async function answer(discord: FakeDiscord): Promise<void> {
  const handle = discord.dispatchInteraction({ kind: 'command', name: 'agenda', member: { id: '42', username: 'member' } });
  const callback = await handle.firstCallback;
  while (callback.type !== 4 && handle.state.original === undefined) await new Promise((r) => setTimeout(r, 2));
}

async function fakeWithCommands(): Promise<FakeDiscord> {
  const discord = await FakeDiscord.start({ channels: ['1300000000000000001'] });
  await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  return discord;
}

const envFor = (d: FakeDiscord) => ({ DISCORD_TOKEN: d.token, DISCORD_APPLICATION_ID: d.applicationId, DISCORD_GUILD_ID: d.guildId, DISCORD_API_URL: d.apiUrl, DISCORD_SYNC_SCHEDULED_EVENTS: 'false' });

async function main(): Promise<void> {
  const forBot = await fakeWithCommands();
  const forBare = await fakeWithCommands();
  const bot = await startBot(envFor(forBot));
  const bare = await startBare(envFor(forBare));
  try {
    await forBot.ready();
    await forBare.ready();
    await answerP99(forBot, 1);
    await answerP99(forBare, 1);
    const botCpu = new CpuTally();
    const bareCpu = new CpuTally();
    await alternate({
      title: `Discord /agenda answer p99, ${CONCURRENCY} concurrent, ${ROUND_S} s rounds`,
      unit: 'ms',
      ours: { name: 'sremuc-bot (npm start)', measure: () => botCpu.measure(bot, () => answers(forBot, ROUND_S)) },
      baseline: { name: 'bare discord.js client replying "ok"', measure: () => bareCpu.measure(bare, () => answers(forBare, ROUND_S)) },
      goal: { op: '<=', ratio: 1.2 },
    });
    printCpu('answer', botCpu, bareCpu);
    printUnloaded('/agenda', await singleRequests(SINGLE_REQUESTS, () => answer(forBot)), await singleRequests(SINGLE_REQUESTS, () => answer(forBare)));
  } finally {
    await bot.stop();
    await bare.stop();
    await forBot.close();
    await forBare.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
