/**
 * One gateway session per shard across replicas: three `npm start` processes on one database, the bot on two
 * shards (DISCORD_SHARD_COUNT=2), against the fake Discord, which routes a server's events to the sessions of
 * its shard as Discord does. Each shard is identified once, by one replica, and never has two sessions open;
 * commands typed in a server of either shard are answered once. When a holder is SIGKILLed, another replica takes
 * its shard over and identifies; when one stops cleanly (SIGTERM), it hands its shard over at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toApplicationCommands } from '../../src/chat/discord/commands';
import { loadCommands } from '../../src/commands/registry';
import type { Db } from '../../src/store/db';
import { FakeDiscord, shardOf, type InteractionHandle } from '../fakes/discord';
import { sharedDb } from '../helpers/db';
import { MEETUP_TITLE, startBot, until, type BotProcess } from './harness';

const SHARDS = 2;
let dir: string;
let discord: FakeDiscord;
let db: Db | undefined;
const replicas: BotProcess[] = [];
/** The most sessions each shard had open at once, sampled while the test runs. */
const mostOpen = new Map<number, number>();
let sampler: NodeJS.Timeout | undefined;

/** A server id on `shard` (Discord: (guild_id >> 22) % shard count), and a channel in it. */
function serverOn(shard: number): { guild: string; channel: string } {
  let guild = 1200000000000000001n;
  while (shardOf(String(guild), SHARDS) !== shard) guild += 1n << 22n;
  return { guild: String(guild), channel: String(1300000000000000000n + BigInt(shard)) };
}
const servers = [serverOn(0), serverOn(1)];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-shards-'));
  discord = await FakeDiscord.start({ channels: [] });
  for (const [shard, { guild, channel }] of servers.entries()) discord.addChannel(channel, `general-${shard}`, guild);
  // Registered globally, as `npm run deploy-commands` does without DISCORD_GUILD_ID: one bot in many servers.
  const res = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  expect(res.status).toBe(200);
  mostOpen.clear();
  asked.length = 0;
  sampler = setInterval(() => {
    for (let shard = 0; shard < SHARDS; shard++) mostOpen.set(shard, Math.max(mostOpen.get(shard) ?? 0, discord.openSessions(shard)));
  }, 10);
});

afterEach(async () => {
  clearInterval(sampler);
  for (const r of replicas.splice(0)) r.cleanup();
  await db?.close();
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Which replica says it holds the shard's session, judged by what each one logged last about that shard. */
function holderOf(shard: number): BotProcess[] {
  return replicas.filter((r) => {
    const about = r
      .stderr()
      .split('\n')
      .filter((line) => line.includes(`"shard":${shard}`) && line.includes('discord gateway shard'));
    return about.at(-1)?.includes('shard held') ?? false;
  });
}

const asked: InteractionHandle[] = [];

/** /agenda typed in a channel of the shard's server, answered (the end of the test checks it was answered once). */
async function agendaOn(shard: number): Promise<void> {
  const handle = discord.dispatchInteraction({ kind: 'command', name: 'agenda', channelId: servers[shard]!.channel, member: { id: '42', username: 'member' } });
  asked.push(handle);
  const first = await handle.firstCallback;
  if (first.type === 4) expect(JSON.stringify(first.data)).toContain(MEETUP_TITLE);
  else await until(() => JSON.stringify(handle.state.original?.embeds ?? []).includes(MEETUP_TITLE));
}

const identifiesOf = (shard: number) => discord.gateway.identifyLog.filter((i) => i.shard === shard).length;

/** A replica goes (`stop`); each shard it held is identified once more, by one of the others, which says so. */
async function leaves(replica: BotProcess, stop: () => Promise<void>): Promise<void> {
  const held = [0, 1].filter((shard) => holderOf(shard).includes(replica));
  const before = held.map(identifiesOf);
  replicas.splice(replicas.indexOf(replica), 1);
  await stop();
  replica.cleanup();
  await until(() => held.every((shard, i) => identifiesOf(shard) === before[i]! + 1 && discord.openSessions(shard) === 1 && holderOf(shard).length === 1));
}

it('three replicas on two shards: one session per shard, commands answered once, a killed holder replaced', async () => {
  const shared = sharedDb(dir);
  db = await shared.open(); // on PostgreSQL this creates the schema before the replicas connect
  const env = {
    ...shared.env,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
    DISCORD_SHARD_COUNT: String(SHARDS),
  };
  const start = () => startBot(env).then((bot) => (replicas.push(bot), bot));
  // Ready means each replica has opened the sessions of the shards it could take.
  await Promise.all([start(), start(), start()]);
  expect([discord.openSessions(0), discord.openSessions(1)]).toEqual([1, 1]);
  expect(discord.gateway.identifyLog.map((i) => [i.shard, i.count]).sort()).toEqual([
    [0, SHARDS],
    [1, SHARDS],
  ]);
  for (let shard = 0; shard < SHARDS; shard++) expect(holderOf(shard)).toHaveLength(1);
  await agendaOn(0);
  await agendaOn(1);

  // The holder of shard 0 dies: another replica identifies on each shard it held, once its lease stood still
  // (15-25 s). The replica logs that it holds a shard once its session is ready, a moment after the fake saw IDENTIFY.
  const dead = holderOf(0)[0]!;
  await leaves(dead, () => dead.kill().then((exit) => expect(exit.signal ?? 'SIGKILL').toBe('SIGKILL')));
  await agendaOn(0);
  await agendaOn(1);

  // A clean stop hands its shards over at once (at the next lease beat of another replica).
  const leaving = holderOf(1)[0]!;
  await leaves(leaving, () => leaving.terminate().then((exit) => expect(exit).toEqual({ code: 0, signal: null })));
  await agendaOn(0);
  await agendaOn(1);

  // Each command answered once: a second session of its shard would have answered it too (refused with 40060).
  expect(asked.map((h) => h.state.callbacks.length)).toEqual(asked.map(() => 1));
  const callbacks = discord.requestsTo('POST', /^\/interactions\/\d+\/[^/]+\/callback$/);
  expect(callbacks.filter((r) => r.status >= 400)).toEqual([]);
  expect(callbacks).toHaveLength(asked.length);
  // Never two sessions of one shard: neither right after an IDENTIFY nor at any sampled moment.
  expect(discord.gateway.identifyLog.every((i) => i.concurrent === 1)).toBe(true);
  expect([...mostOpen.entries()].sort()).toEqual([
    [0, 1],
    [1, 1],
  ]);
  for (const r of replicas) expect(await r.terminate()).toEqual({ code: 0, signal: null });
}, 120_000);
