/**
 * Slack /agenda as members feel it: signed slash commands, 50 in flight, to the bot started as `npm start` runs
 * it (Slack HTTP mode on the bot's one HTTP server, the real data/ loaded), against a process holding a bare
 * Bolt app that acks "ok". Each round loads one side for a few seconds and takes the p99 of the HTTP ack (what
 * Slack's 3-second deadline is about). Goal: the bot's p99 at most 1.2x the bare app's.
 */
import { FakeSlack, sendSigned } from '../test/fakes/slack';
import { freeLoopbackPort } from '../test/fakes/loopback';
import { alternate, CpuTally, percentile, printCpu, printUnloaded, singleRequests, startBare, startBot } from './harness';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';
const CONCURRENCY = 50;
const ROUND_S = 2;
const SINGLE_REQUESTS = 200;

/** p99 of the ack in ms over `seconds` of 50 workers sending back to back; a refused request fails the bench. */
async function p99(slack: FakeSlack, url: string, seconds: number): Promise<number> {
  return (await acks(slack, url, seconds)).value;
}

async function acks(slack: FakeSlack, url: string, seconds: number): Promise<{ value: number; requests: number }> {
  const acks: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await sendSigned(url, SECRET, slack.slashCommandFields('agenda', ''));
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        acks.push(performance.now() - t0);
      }
    }),
  );
  return { value: percentile(acks, 99), requests: acks.length };
}

async function main(): Promise<void> {
  const slack = await FakeSlack.start({ botToken: TOKEN });
  const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl };
  const bot = await startBot(env);
  const barePort = await freeLoopbackPort();
  const bare = await startBare({ ...env, SLACK_PORT: String(barePort) });
  try {
    const botUrl = `${bot.httpUrl}/slack/events`;
    const bareUrl = `http://127.0.0.1:${barePort}/slack/events`;
    await p99(slack, botUrl, 1);
    await p99(slack, bareUrl, 1);
    const botCpu = new CpuTally();
    const bareCpu = new CpuTally();
    await alternate({
      title: `Slack /agenda ack p99, ${CONCURRENCY} concurrent, ${ROUND_S} s rounds`,
      unit: 'ms',
      ours: { name: 'sremuc-bot (npm start, HTTP mode)', measure: () => botCpu.measure(bot, () => acks(slack, botUrl, ROUND_S)) },
      baseline: { name: 'bare Bolt app acking "ok"', measure: () => bareCpu.measure(bare, () => acks(slack, bareUrl, ROUND_S)) },
      goal: { op: '<=', ratio: 1.2 },
    });
    printCpu('ack', botCpu, bareCpu);
    const one = (url: string) => () => sendSigned(url, SECRET, slack.slashCommandFields('agenda', ''));
    printUnloaded('/agenda', await singleRequests(SINGLE_REQUESTS, one(botUrl)), await singleRequests(SINGLE_REQUESTS, one(bareUrl)));
  } finally {
    await bot.stop();
    await bare.stop();
    await slack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
