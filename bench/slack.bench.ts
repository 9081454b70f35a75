/**
 * Slack slash-command latency under load: signed `/agenda` requests, 50 in flight, against the real SlackChat
 * (Bolt HTTP receiver, 1,000 events loaded) and, as the baseline measured in the same run with the same client,
 * a bare Bolt app whose only listener acks "ok". Reports p50/p99 of the HTTP ack (what Slack's 3-second deadline
 * is about) and, for the real bot, of the full answer arriving at response_url.
 * Everything (client, bot, fake Slack) shares this process and its 2 cores, the same for both sides.
 */
import { weeklyMeetups } from './generate-events';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { makeServices } from '../test/helpers/services';
import { Catalogue } from '../src/catalogue/catalogue';
import { SlackChat } from '../src/chat/slack/adapter';
import type { CommandServices } from '../src/commands/definition';
import agenda from '../commands/agenda';
import { createLogger } from '../src/log';
import { FakeSlack, sendSigned } from '../test/fakes/slack';
import { contractDispatcher } from '../test/chat/slack-harness';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-test-token';
const CONCURRENCY = 50;
const WARMUP_S = 1;
const MEASURE_S = 4;

interface Run {
  ack: number[];
  answer: number[];
  failures: number;
}


async function startBareApp(apiUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, port: 0, logLevel: LogLevel.ERROR });
  const app = new App({ token: TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl } });
  app.command('/agenda', async ({ ack }) => ack('ok'));
  const server = (await app.start(0)) as Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, stop: () => app.stop() as Promise<void> };
}

async function startRealBot(slack: FakeSlack): Promise<{ url: string; stop: () => Promise<void> }> {
  const catalogue = new Catalogue(weeklyMeetups(1000));
  const services: CommandServices = makeServices({ catalogue: () => catalogue });
  const commands = new Map([['agenda', agenda]]);
  const chat = new SlackChat({
    config: { botToken: TOKEN, mode: 'http', signingSecret: SECRET, port: 0, apiUrl: slack.apiUrl, announceChannels: [], organizerUserIds: [] },
    commands,
    dispatcher: contractDispatcher(commands, services),
    log: createLogger('error'),
  });
  await chat.start();
  return { url: `http://127.0.0.1:${chat.port}/slack/events`, stop: () => chat.stop() };
}

/** 50 workers send signed /agenda requests back to back for `seconds`. */
async function load(slack: FakeSlack, url: string, seconds: number, expectAnswers: boolean): Promise<Run> {
  const run: Run = { ack: [], answer: [], failures: 0 };
  const sentAt = new Map<string, number>();
  const before = slack.responses.length;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const fields = slack.slashCommandFields('agenda', '');
        const t0 = performance.now();
        sentAt.set(new URL(fields.response_url!).pathname, t0);
        const res = await sendSigned(url, SECRET, fields);
        const took = performance.now() - t0;
        if (res.status !== 200) run.failures++;
        else run.ack.push(took);
        // Fast answers travel in the ack itself; slow ones arrive at response_url later.
        if (res.json?.blocks) {
          run.answer.push(took);
          sentAt.delete(new URL(fields.response_url!).pathname);
        }
      }
    }),
  );
  if (expectAnswers) await waitFor(() => slack.responses.length - before >= sentAt.size, 10_000);
  for (const r of slack.responses.slice(before)) {
    const t0 = sentAt.get(r.path);
    if (t0 !== undefined) run.answer.push(r.receivedAt - t0);
  }
  return run;
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function measure(slack: FakeSlack, target: { url: string; stop: () => Promise<void> }, expectAnswers: boolean): Promise<Run> {
  await load(slack, target.url, WARMUP_S, expectAnswers);
  const run = await load(slack, target.url, MEASURE_S, expectAnswers);
  await target.stop();
  if (expectAnswers) run.failures += run.ack.length - run.answer.length;
  return run;
}

async function main(): Promise<void> {
  const slack = await FakeSlack.start({ botToken: TOKEN });
  const bare = await measure(slack, await startBareApp(slack.apiUrl), false);
  const real = await measure(slack, await startRealBot(slack), true);
  await slack.close();

  const report = (name: string, r: Run) =>
    console.log(`${name.padEnd(34)} ${String(r.ack.length).padStart(6)} req  ${(r.ack.length / MEASURE_S).toFixed(0).padStart(5)} req/s  ack p50 ${ms(percentile(r.ack, 50))}  p99 ${ms(percentile(r.ack, 99))}  failures ${r.failures}`);
  console.log(`signed /agenda, ${CONCURRENCY} concurrent, ${MEASURE_S} s after ${WARMUP_S} s warm-up, 1,000 events loaded`);
  report('baseline: bare Bolt app acking "ok"', bare);
  report('sremuc-bot SlackChat', real);
  console.log(`${'sremuc-bot answer (ack or response_url)'.padEnd(34)} p50 ${ms(percentile(real.answer, 50))}  p99 ${ms(percentile(real.answer, 99))}`);
  const ratio = percentile(real.ack, 99) / percentile(bare.ack, 99);
  console.log(`ack p99 ratio (bot / bare Bolt): ${ratio.toFixed(2)}x  (goal ≤ 1.3x: ${ratio <= 1.3 ? 'met' : 'NOT met'})`);
  if (real.failures > 0 || bare.failures > 0) process.exitCode = 1;
}

void main();
