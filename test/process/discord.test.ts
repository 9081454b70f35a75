/**
 * `npm start` with a Discord configuration, and with Slack, Discord and the console all at once: the real
 * process against the fakes, each platform answering and each announce channel getting the announcement.
 */
import { loadCommands } from '../../src/commands/registry';
import { toApplicationCommands } from '../../src/chat/discord/commands';
import { FakeDiscord } from '../fakes/discord';
import { FakeSlack } from '../fakes/slack';
import { healthz, MEETUP_TITLE, startBot, until, type BotProcess } from './harness';

const DISCORD_CHANNEL = '1300000000000000001';
const SLACK_CHANNEL = 'C0ANNOUNCE';
const SECRET = 'process-signing-secret';
let discord: FakeDiscord;
let bot: BotProcess | undefined;

beforeEach(async () => {
  discord = await FakeDiscord.start({ channels: [DISCORD_CHANNEL] });
  // As `npm run deploy-commands` left them: interactions then carry the option types Discord sends.
  const res = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  expect(res.status).toBe(200);
});
afterEach(async () => {
  bot?.cleanup();
  bot = undefined;
  await discord.close();
});

const discordEnv = () => ({
  DISCORD_TOKEN: discord.token,
  DISCORD_APPLICATION_ID: discord.applicationId,
  DISCORD_GUILD_ID: discord.guildId,
  DISCORD_API_URL: discord.apiUrl,
  DISCORD_ANNOUNCE_CHANNELS: DISCORD_CHANNEL,
  DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
});
const announcedOnDiscord = () =>
  discord.messages(DISCORD_CHANNEL).some((m) => !m.interactionId && JSON.stringify(m.embeds).includes(MEETUP_TITLE) && m.pings.length === 0);

/** The first answer to a slash command, or the reply that follows a deferral. */
async function agendaOnDiscord(): Promise<string> {
  await discord.ready();
  const handle = discord.dispatchInteraction({ kind: 'command', name: 'agenda', member: { id: '42', username: 'member' } });
  const callback = await handle.firstCallback;
  if (callback.type === 4) return JSON.stringify(callback.data);
  await until(() => handle.state.original !== undefined);
  return JSON.stringify(handle.state.original);
}

describe('npm start with Discord', () => {
  it('answers an /agenda interaction, announces the meetup, answers /healthz and stops cleanly on SIGTERM', async () => {
    bot = await startBot(discordEnv());
    expect(await agendaOnDiscord()).toContain(MEETUP_TITLE);
    await until(announcedOnDiscord);
    expect((await healthz(bot)).status).toBe(200);
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
  });
});

describe('npm start with Discord interactions over HTTP (DISCORD_PUBLIC_KEY)', () => {
  it('passes the portal check, answers /agenda posted to /discord/interactions, announces, and opens no gateway', async () => {
    bot = await startBot({ ...discordEnv(), DISCORD_PUBLIC_KEY: discord.publicKeyHex });
    const endpoint = `${bot.httpUrl}/discord/interactions`;
    expect((await discord.checkInteractionsEndpoint(endpoint)).ok).toBe(true);
    discord.useInteractionsEndpoint(endpoint);
    const handle = discord.dispatchInteraction({ kind: 'command', name: 'agenda', member: { id: '42', username: 'member' } });
    const callback = await handle.firstCallback;
    if (callback.type !== 4) await until(() => handle.state.original?.embeds.length !== undefined && handle.state.original.embeds.length > 0);
    expect(JSON.stringify(callback.type === 4 ? callback.data : handle.state.original)).toContain(MEETUP_TITLE);
    await until(announcedOnDiscord);
    expect(discord.gateway.identifies).toBe(0);
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
  });
});

describe('npm start with Slack, Discord and the console at once', () => {
  let slack: FakeSlack;
  beforeEach(async () => (slack = await FakeSlack.start({ botToken: 'xoxb-process' })));
  afterEach(async () => slack.close());

  it('answers on each platform, announces on each, answers /healthz and stops cleanly on SIGTERM', async () => {
    bot = await startBot({
      ...discordEnv(),
      SLACK_BOT_TOKEN: 'xoxb-process',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ANNOUNCE_CHANNELS: SLACK_CHANNEL,
      CONSOLE_CHAT: 'true',
    });

    const res = await slack.sendSlashCommand(`${bot.httpUrl}/slack/events`, SECRET, slack.slashCommandFields('agenda', ''));
    expect(String(res.json?.text)).toContain(MEETUP_TITLE);
    expect(await agendaOnDiscord()).toContain(MEETUP_TITLE);
    bot.write('/agenda');
    await bot.waitFor('19:00  Talk 1: Running the bot for real');

    await until(() => announcedOnDiscord() && slack.messages(SLACK_CHANNEL).some((m) => m.text?.includes(MEETUP_TITLE)));
    await bot.waitFor('[post to #announcements]');
    expect((await healthz(bot)).status).toBe(200);
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
  });
});
