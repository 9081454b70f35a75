/**
 * Fault-injection trials for exactly-once delivery: the real SlackChat (Bolt's WebClient) and DiscordChat
 * (discord.js REST) against the fakes, faults switched on per request, bot "processes" (Schedulers on their own
 * database connections) killed at points a seeded random generator picks, and a successor that must finish the
 * job. Each trial then counts, per channel, the messages carrying the announcement's delivery key: exactly one
 * each, or the trial reports what was lost or doubled. Used by test/schedule/faults.test.ts and the soak script.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../src/catalogue/catalogue';
import type { ChatPoster, Destination } from '../../src/chat/adapter';
import { DiscordChat } from '../../src/chat/discord/adapter';
import { deliveryMarker } from '../../src/chat/discord/posting';
import { SlackChat } from '../../src/chat/slack/adapter';
import { ManualClock } from '../helpers/clock';
import { createLogger } from '../../src/log';
import { Scheduler } from '../../src/schedule/scheduler';
import type { Db } from '../../src/store/db';
import { sql } from 'kysely';
import { sharedDb, type SharedDb } from '../helpers/db';
import { contractDispatcher } from '../chat/slack-harness';
import { FakeDiscord, type Fault as DiscordFault } from '../fakes/discord';
import { FakeSlack, type Fault as SlackFault } from '../fakes/slack';
import { berlin, makeSettings } from '../helpers/events';
import { prng } from '../helpers/prng';
import { makeServices } from '../helpers/services';
import { autumnMeetup, oneCommunity } from './harness';

export type FaultKind = 'ok' | 'answer-after-storing' | 'reset-after-storing' | 'hang-after-storing' | 'hang' | 'stored-after-kill' | 'plain-500';
export type Scenario = {
  faults: FaultKind[];
  /** Kill the first process after this many platform calls (undefined: it is not killed). */
  killAfterCalls?: number;
  historyLagMs?: number;
  /** Messages others post in every channel after the kill, before the successor looks (deep history). */
  newerMessages?: number;
  /** All posts answer 500 for this long (ms of trial time) from the start. */
  stormMs?: number;
  /** The successor starts from a copy of the database taken before the first process ticked (lost -wal). */
  lostState?: boolean;
  /** The first process is stopped (SIGSTOP) before its n-th attempt for 200 s, then continues. */
  stopAtAttempt?: number;
};

export interface TrialResult {
  lost: string[];
  duplicated: string[];
}

const SLACK = ['C0FAULTA', 'C0FAULTB'];
const DISCORD = ['1300000000000000701', '1300000000000000702'];
const KEY = (d: Destination) => `rule:announce:sre-munich-autumn-event-2026:${d.platform}:${d.channel}`;
const silent = createLogger(process.env.FAULTS_LOG ?? 'silent');

const KINDS: FaultKind[] = ['ok', 'answer-after-storing', 'reset-after-storing', 'hang-after-storing', 'hang', 'stored-after-kill', 'plain-500'];

/** A random scenario: a few faulty requests, a kill point, sometimes lag, deep history, a storm, lost state, a stop. */
export function randomScenario(seed: number): Scenario {
  const r = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return {
    faults: Array.from({ length: 4 }, () => (r() < 0.5 ? 'ok' : pick(KINDS))),
    killAfterCalls: r() < 0.8 ? 1 + Math.floor(r() * 9) : undefined,
    historyLagMs: r() < 0.3 ? pick([8_000, 30_000]) : 0,
    newerMessages: r() < 0.15 ? 1_100 : 0,
    stormMs: r() < 0.1 ? 150_000 : 0,
    lostState: r() < 0.2,
    stopAtAttempt: r() < 0.15 ? 1 + Math.floor(r() * 4) : undefined,
  };
}

interface Process {
  scheduler: Scheduler;
  db: Db;
  kill(): void;
}

export async function runTrial(scenario: Scenario): Promise<TrialResult> {
  const wall = new ManualClock(berlin('2026-10-20T12:00'));
  let mono = 1_000_000;
  const advance = (ms: number) => {
    wall.advance({ milliseconds: ms });
    mono += ms;
  };
  const slack = await FakeSlack.start({ botToken: 'xoxb-faults', now: () => wall.now().toMillis() });
  const discord = await FakeDiscord.start({ channels: [...DISCORD, '1300000000000000799'], now: () => wall.now().toMillis() });
  const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-faults-'));
  const main = sharedDb(dir);
  const before = scenario.lostState ? sharedDb(dir, 'before.db') : undefined;
  const processes: Process[] = [];
  const release: (() => void)[] = [];
  const storeLater: (() => void)[] = [];
  try {
    const slackChat = new SlackChat({
      config: { botToken: 'xoxb-faults', mode: 'http', signingSecret: 's', port: 0, apiUrl: slack.apiUrl, announceChannels: SLACK, organizerUserIds: [], organizersChannel: 'C0FAULTORG' },
      commands: new Map(),
      dispatcher: contractDispatcher(new Map(), makeServices()),
      log: silent,
      retryConfig: { retries: 0 },
      postTimeoutMs: 150,
    });
    const discordChat = new DiscordChat({
      config: { token: discord.token, applicationId: discord.applicationId, guildId: discord.guildId, apiUrl: discord.apiUrl, announceChannels: DISCORD, syncScheduledEvents: false },
      commands: new Map(),
      dispatcher: { run: async () => ({ message: { sections: [] } }), autocomplete: () => [], button: async () => ({ message: { sections: [] } }), modalSubmit: async () => ({ message: { sections: [] } }) } as never,
      log: silent,
      restOptions: { retries: 1, offset: 0, timeout: 200 },
    });
    const destinations: Destination[] = [...SLACK.map((channel) => ({ platform: 'slack' as const, channel })), ...DISCORD.map((channel) => ({ platform: 'discord' as const, channel }))];
    armFaults(scenario, slack, discord, storeLater);
    slack.historyLag(scenario.historyLagMs ?? 0);
    discord.historyLag(scenario.historyLagMs ?? 0);

    const startProcess = async (shared: SharedDb, id: string, stopAt?: number): Promise<Process> => {
      const db = await shared.open();
      let calls = 0;
      let dead = false;
      let attempts = 0;
      const hang = () => new Promise<never>(() => undefined);
      const wrap = (inner: ChatPoster): ChatPoster => ({
        platform: inner.platform,
        post: (c, m, o) => (dead ? hang() : (++calls, inner.post(c, m, o))),
        edit: (c, id2, m) => (dead ? hang() : inner.edit(c, id2, m)),
        findPosted: (c, k, since) => (dead ? hang() : (++calls, inner.findPosted(c, k, since))),
      });
      const scheduler = new Scheduler({
        db,
        clock: wall,
        mono: () => mono,
        posters: [wrap(slackChat), wrap(discordChat)],
        communities: oneCommunity(() => ({ catalogue: new Catalogue([autumnMeetup()]), settings: makeSettings() }), destinations, [{ platform: 'slack', channel: 'C0FAULTORG' }]),
        log: silent,
        graceMinutes: 120,
        onChange: 'edit',
        rateLimits: { perChannelMs: {}, perSecond: {} },
        holderId: id,
        concurrency: 2,
        pause: async () => {
          if (dead) return hang();
          if (stopAt !== undefined && ++attempts === stopAt) await new Promise<void>((resolve) => release.push(resolve));
          if (scenario.killAfterCalls !== undefined && stopAt === undefined && calls >= scenario.killAfterCalls && id === 'first') {
            dead = true;
            return hang();
          }
        },
      });
      const p = { scheduler, db, kill: () => void (dead = true) };
      processes.push(p);
      return p;
    };

    if (before) {
      // The state a lost -wal or a restored backup leaves: the outbox as it was before anything was sent (empty).
      // It was written while a bot was running, so it names that holder in the lease.
      const seed = await before.open();
      await seed.run(sql`INSERT INTO leases (name, holder, expires_at, generation, beat) VALUES ('scheduler', 'earlier', 0, 1, 7)`);
      await seed.close();
    }
    const first = await startProcess(main, 'first', scenario.stopAtAttempt);
    // The first process ticks every 10 s of trial time until it is killed or stopped.
    const firstRun = (async () => {
      for (let i = 0; i < 30; i++) {
        await first.scheduler.tick();
        await Promise.resolve();
      }
    })();
    const settled = await Promise.race([firstRun.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('stuck'), 1_500))]);
    // A stopped holder stays alive and continues later; any other first process is dead from here on.
    if (scenario.stopAtAttempt === undefined) first.kill();
    // Posts that reached the platform before the kill but are stored only afterwards (right after it).
    storeLater.splice(0).forEach((store) => store());
    // Requests already on their way land now, at the time of the kill (a platform stores within seconds, not
    // after the minutes the trial is about to skip): wait until the fakes have been quiet for a moment.
    await quiet(() => slack.calls.length + discord.requests.length);
    // Stopped or killed: time passes before anyone notices; otherwise a restart takes a few seconds.
    advance(settled === 'done' ? 5_000 : 200_000);
    for (let i = 0; i < (scenario.newerMessages ?? 0); i++) {
      for (const c of SLACK) slack.seedMessage(c, { text: `chatter ${i}` });
      for (const c of DISCORD) discord.seedMessage(c, { content: `chatter ${i}`, author: { id: '1400000000000000001', username: 'member', bot: false } });
    }
    const second = await startProcess(before ?? main, 'second');
    for (let i = 0; i < 40; i++) {
      if (i === 3) release.splice(0).forEach((resolve) => resolve()); // the stopped holder continues, and must do nothing
      if (i === (scenario.stormMs ? 15 : 5)) slack.clearFaults(), discord.clearFaults();
      await second.scheduler.tick();
      advance(10_000);
    }
    return count(slack, discord);
  } finally {
    release.splice(0).forEach((resolve) => resolve());
    storeLater.splice(0).forEach((store) => store());
    await slack.close();
    await discord.close();
    for (const p of processes) await p.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function quiet(activity: () => number): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40 && activity() !== last; i++) {
    last = activity();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function armFaults(scenario: Scenario, slack: FakeSlack, discord: FakeDiscord, storeLater: (() => void)[]): void {
  if (scenario.stormMs) {
    slack.fail('chat.postMessage', { status: 500 }, 12);
    discord.failMessageCreates(12, { status: 500 });
  }
  for (const kind of scenario.faults) {
    const later = new Promise<void>((resolve) => storeLater.push(resolve));
    const fault = toFault(kind, later);
    slack.fail('chat.postMessage', fault, 1);
    discord.failMessageCreates(1, fault);
  }
}

/** A fault both fakes understand. */
type SharedFault = Extract<SlackFault, DiscordFault> | { storeThen: 500 | 'reset' | 'hang' } | { hang: true; storeWhen: Promise<void> } | { status: 500 } | { pass: true };

function toFault(kind: FaultKind, later: Promise<void>): SharedFault {
  if (kind === 'answer-after-storing') return { storeThen: 500 };
  if (kind === 'reset-after-storing') return { storeThen: 'reset' };
  if (kind === 'hang-after-storing') return { storeThen: 'hang' };
  if (kind === 'hang') return { hang: true, storeWhen: new Promise<void>(() => undefined) };
  if (kind === 'stored-after-kill') return { hang: true, storeWhen: later };
  if (kind === 'plain-500') return { status: 500 };
  // 'ok' still takes a place in the queue, so that the faults land on different posts.
  return { pass: true };
}

function count(slack: FakeSlack, discord: FakeDiscord): TrialResult {
  const result: TrialResult = { lost: [], duplicated: [] };
  const tally = (key: string, n: number) => (n === 0 ? result.lost.push(key) : n > 1 ? result.duplicated.push(`${key} x${n}`) : undefined);
  for (const channel of SLACK) {
    const key = KEY({ platform: 'slack', channel });
    tally(key, slack.messages(channel).filter((m) => m.metadata?.event_payload.delivery_key === key).length);
  }
  for (const channel of DISCORD) {
    const key = KEY({ platform: 'discord', channel });
    const marker = deliveryMarker(key);
    tally(key, discord.messages(channel).filter((m) => JSON.stringify(m.embeds).includes(`ref ${marker}`) || m.content.includes(`ref ${marker}`)).length);
  }
  return result;
}
