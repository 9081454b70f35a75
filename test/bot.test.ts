import { sql } from 'kysely';
/**
 * The whole bot as `npm start` wires it, with Slack, Discord and the console all on: real Bolt and discord.js
 * against the fakes, the real data folder, the feed server, the scheduler. What each part does in detail is
 * tested next to it; this checks that the parts are connected.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot, type Bot } from '../src/bot';
import { loadConfig } from '../src/config';
import { ManualClock } from './helpers/clock';
import { createLogger } from '../src/log';
import { loadCommands } from '../src/commands/registry';
import { toApplicationCommands } from '../src/chat/discord/commands';
import type { SlackChat } from '../src/chat/slack/adapter';
import { FakeSlack } from './fakes/slack';
import { FakeDiscord } from './fakes/discord';
import { berlin } from './helpers/events';
import { botDatabaseEnv } from './helpers/db';

const SIGNING_SECRET = 'bot-test-secret';
const SLACK_CHANNEL = 'C0ANNOUNCE';
const SLACK_ORGANIZERS = 'C0ORGANIZERS';
const DISCORD_CHANNEL = '1300000000000000001';
const DISCORD_ORGANIZERS = '1300000000000000002';

let dataDir: string;
let slack: FakeSlack;
let discord: FakeDiscord;
let bot: Bot;
let output: string;
const input = new PassThrough();
// Two days before the July 2024 meetup at Celonis: the bot sees it for the first time.
const clock = new ManualClock(berlin('2024-07-08T12:00'));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sremuc-bot-'));
  cpSync(path.join(__dirname, '..', 'data'), path.join(dataDir, 'data'), { recursive: true });
  slack = await FakeSlack.start({ botToken: 'xoxb-bot-test' });
  discord = await FakeDiscord.start({ channels: [DISCORD_CHANNEL, DISCORD_ORGANIZERS] });
  await registerDiscordCommands();

  const config = loadConfig({
    DATA_DIR: path.join(dataDir, 'data'),
    ...(await botDatabaseEnv(dataDir)),
    HTTP_PORT: '0',
    CONSOLE_CHAT: 'true',
    SLACK_BOT_TOKEN: 'xoxb-bot-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_ANNOUNCE_CHANNELS: SLACK_CHANNEL,
    SLACK_ORGANIZERS_CHANNEL: SLACK_ORGANIZERS,
    SLACK_ORGANIZER_USER_IDS: 'U0ORGANIZER',
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_ANNOUNCE_CHANNELS: DISCORD_CHANNEL,
    DISCORD_ORGANIZERS_CHANNEL: DISCORD_ORGANIZERS,
  });
  const out = new PassThrough();
  output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot = await createBot(config, { clock, input, output: out, log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await discord?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function registerDiscordCommands(): Promise<void> {
  const res = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  expect(res.status).toBe(200);
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function slackChat(): SlackChat {
  return bot.adapters.find((a) => a.platform === 'slack') as SlackChat;
}

describe('the bot, wired as npm start wires it', () => {
  it('answers /agenda typed on the console with the next meetup\'s agenda', async () => {
    input.write('/agenda\n');
    await waitFor(() => output.includes('Leave happy and inspired'), 'the console answer');
    expect(output).toContain('SRE Munich at Celonis 2024');
    expect(output).toMatch(/19:10\s+Talk 1: Upgrading thousands of stateful applications/);
  });

  it('answers a signed Slack /agenda through Bolt, on the same port as the feeds', async () => {
    expect(slackChat().port).toBeUndefined();
    const fields = slack.slashCommandFields('agenda', 'last');
    const res = await slack.sendSlashCommand(`${bot.http.url}/slack/events`, SIGNING_SECRET, fields);
    expect(res.status).toBe(200);
    expect(String(res.json?.text)).toContain('SRE+Grafana Munich at nordcloud 2024');
  });

  it('a replayed signed /announce schedule (same signature and timestamp) is refused and schedules one post', async () => {
    const count = async () => Number((await bot.db.row(sql<{ n: number }>`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM scheduled_posts`))!.n);
    const before = await count();
    const fields = slack.slashCommandFields('announce', 'schedule in 2h Replayed hello', { user_id: 'U0ORGANIZER', user_name: 'organizer' });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await slack.sendSlashCommand(`${bot.http.url}/slack/events`, SIGNING_SECRET, fields, { timestamp });
    const replay = await slack.sendSlashCommand(`${bot.http.url}/slack/events`, SIGNING_SECRET, fields, { timestamp });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    await waitFor(async () => (await count()) > before, 'the scheduled post');
    expect(await count()).toBe(before + 1);
  });

  it('refuses a forged Slack request', async () => {
    const fields = slack.slashCommandFields('agenda', '');
    const res = await slack.sendSlashCommand(`${bot.http.url}/slack/events`, 'not-the-secret', fields);
    expect(res.status).toBe(401);
  });

  it('answers a Discord slash command through discord.js with an embed that pings nobody', async () => {
    await discord.ready();
    const handle = discord.dispatchInteraction({ kind: 'command', name: 'agenda', member: { id: '42', username: 'member' } });
    const callback = await handle.firstCallback;
    const data = callback.type === 4 ? callback.data : (await waitFor(() => handle.state.original !== undefined, 'the deferred reply'), handle.state.original);
    expect(JSON.stringify(data)).toContain('SRE Munich at Celonis 2024');
    expect((data as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('announces a meetup it sees for the first time, and posts the reminder when it falls due, each once per channel', async () => {
    const posts = () => ({
      slack: slack.messages(SLACK_CHANNEL),
      // Interaction replies also land in the channel; announcements are the bot's own posts.
      discord: discord.messages(DISCORD_CHANNEL).filter((m) => !m.interactionId),
    });
    await waitFor(() => posts().slack.length === 1 && posts().discord.length === 1, 'the announcement');
    expect(posts().slack[0]!.text).toContain('The next SRE Munich meetup is on! SRE Munich at Celonis 2024');
    expect(output).toContain('[post to #announcements]');

    clock.set(berlin('2024-07-09T10:00:30'));
    await bot.scheduler.tick();
    await bot.scheduler.tick();
    expect(posts().slack).toHaveLength(2);
    expect(posts().discord).toHaveLength(2);
    expect(posts().slack[1]!.text).toContain('Tomorrow: SRE Munich at Celonis 2024');
  });

  it('serves the calendar feed and a changed data file reaches the feed and the commands', async () => {
    const feed = await fetch(`${bot.http.url}/calendar.ics`);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    // The 13 shipped posts less the 6 that give no meetup date: those have no calendar entry at a guessed date.
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(7);

    writeFileSync(
      path.join(dataDir, 'data', 'events', 'sre-munich-winter-event-2025.yml'),
      ['title: SRE Munich Winter 2025', 'start: 2025-01-22T18:30', 'venue: Nordcloud', 'address: Munich'].join('\n'),
    );
    bot.data.reload();
    // The feeds are rebuilt after the reload, once their SEQUENCE numbers are read and written in the database.
    let after = '';
    await waitFor(async () => (after = await (await fetch(`${bot.http.url}/calendar.ics`)).text()).includes('SRE Munich Winter 2025'), 'the rebuilt feed');
    expect(after.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    expect(after).toContain('SUMMARY:SRE Munich Winter 2025');
    const single = await fetch(`${bot.http.url}/events/sre-munich-winter-event-2025.ics`);
    expect(single.status).toBe(200);

    input.write('/agenda 2025-01\n');
    await waitFor(() => output.includes('SRE Munich Winter 2025'), 'the console answer about the new meetup');
  });
});
