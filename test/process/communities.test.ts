/**
 * `npm start` with COMMUNITIES_DIR: two communities in one process, one Discord bot user in both servers. Each
 * server's /next answers from its own community, each community's announcement reaches its own channel only,
 * and each one's calendar is served under /c/<slug>/.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { loadCommands } from '../../src/commands/registry';
import { toApplicationCommands } from '../../src/chat/discord/commands';
import { FakeDiscord } from '../fakes/discord';
import { sharedDb } from '../helpers/db';
import { healthz, makeDataDir, MEETUP_TITLE, startBot, until, type BotProcess } from './harness';

const MUNICH = { guild: '1200000000000000001', channel: '1300000000000000001' };
const BERLIN = { guild: '1200000000000000002', channel: '1300000000000000002', title: 'Kubernetes Berlin at Process Test' };
let discord: FakeDiscord;
let bot: BotProcess | undefined;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-process-communities-'));
  discord = await FakeDiscord.start({ channels: [MUNICH.channel] });
  discord.addChannel(BERLIN.channel, 'berlin-news', BERLIN.guild);
  const res = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  expect(res.status).toBe(200);
});
afterEach(async () => {
  bot?.cleanup();
  bot = undefined;
  rmSync(dir, { recursive: true, force: true });
  await discord.close();
});

/** Two community folders next to the process's own data folder: Munich's upcoming meetup, and Berlin's. */
function communities(): string {
  const root = path.join(dir, 'communities');
  const munich = path.join(root, 'sre-munich');
  cpSync(makeDataDir(path.join(dir, 'munich')), munich, { recursive: true });
  writeFileSync(path.join(munich, 'settings.yml'), ['name: SRE Munich', 'hashtag: "#sremuc"', `discord: { guild: "${MUNICH.guild}", announce: ["${MUNICH.channel}"] }`].join('\n'));
  const berlin = path.join(root, 'k8s-berlin');
  mkdirSync(path.join(berlin, 'events'), { recursive: true });
  cpSync(path.join(munich, 'announcements.yml'), path.join(berlin, 'announcements.yml'));
  writeFileSync(path.join(berlin, 'settings.yml'), ['name: Kubernetes Berlin', 'hashtag: "#k8sber"', `discord: { guild: "${BERLIN.guild}", announce: ["${BERLIN.channel}"] }`].join('\n'));
  const day = DateTime.now().setZone('Europe/Berlin').plus({ days: 9 }).toISODate();
  writeFileSync(path.join(berlin, 'events', 'k8s-berlin-process-test.yml'), [`title: ${BERLIN.title}`, `start: "${day} 19:00"`, 'end: "21:00"', 'venue: c-base'].join('\n'));
  return root;
}

async function next(channelId: string): Promise<string> {
  await discord.ready();
  const handle = discord.dispatchInteraction({ kind: 'command', name: 'next', channelId, member: { id: '42', username: 'member' } });
  const callback = await handle.firstCallback;
  if (callback.type === 4) return JSON.stringify(callback.data);
  await until(() => handle.state.original !== undefined);
  return JSON.stringify(handle.state.original);
}

const announced = (channel: string, title: string) => discord.messages(channel).some((m) => !m.interactionId && JSON.stringify(m.embeds).includes(title));

describe('npm start with two communities', () => {
  it("answers each server from its own community, announces to each one's channel, serves /c/<slug>/calendar.ics", async () => {
    const database = sharedDb(dir);
    await (await database.open()).close();
    bot = await startBot({
      COMMUNITIES_DIR: communities(),
      ...database.env,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
    });
    const munichAnswer = await next(MUNICH.channel);
    expect(munichAnswer).toContain(MEETUP_TITLE);
    expect(munichAnswer).not.toContain(BERLIN.title);
    const berlinAnswer = await next(BERLIN.channel);
    expect(berlinAnswer).toContain(BERLIN.title);
    expect(berlinAnswer).not.toContain(MEETUP_TITLE);
    await until(() => announced(MUNICH.channel, MEETUP_TITLE) && announced(BERLIN.channel, BERLIN.title));
    expect(announced(MUNICH.channel, BERLIN.title) || announced(BERLIN.channel, MEETUP_TITLE)).toBe(false);
    const berlinFeed = await (await fetch(`${bot.httpUrl}/c/k8s-berlin/calendar.ics`)).text();
    expect(berlinFeed).toContain(`SUMMARY:${BERLIN.title}`);
    expect(berlinFeed).not.toContain(MEETUP_TITLE);
    expect(JSON.parse((await healthz(bot)).body)).toMatchObject({ ok: true, events: 2, source: { kind: 'communities', count: 2 } });
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
  });
});
