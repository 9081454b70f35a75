/**
 * Several communities in one process (COMMUNITIES_DIR): real Bolt and discord.js against the fakes, one Slack
 * app in two workspaces (one of them shared by two communities, told apart by channel) and one Discord bot in two
 * servers. Each community answers from its own data, serves
 * its own feeds under /c/<slug>/ and posts its announcements to its own channels only.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { ManualClock } from '../helpers/clock';
import { createLogger } from '../../src/log';
import { loadCommands } from '../../src/commands/registry';
import { toApplicationCommands } from '../../src/chat/discord/commands';
import { FakeSlack } from '../fakes/slack';
import { FakeDiscord } from '../fakes/discord';
import { berlin } from '../helpers/events';
import { sharedDb } from '../helpers/db';

const SECRET = 'communities-secret';
const MUC = { team: 'T0SREMUC', slack: 'C0MUCNEWS', guild: '1200000000000000001', discord: '1300000000000000001', organizers: '1300000000000000011' };
const BER = { team: 'T0BERLIN', slack: 'C0BERNEWS', guild: '1200000000000000002', discord: '1300000000000000002' };
// A third community in SRE Munich's Slack workspace: the two tell their commands apart by channel.
const CLOUD = { slack: 'C0CLOUDNEWS', chat: 'C0CLOUDCHAT' };
const STRAY = { guild: '1200000000000000009', discord: '1300000000000000009' };

let root: string;
let slack: FakeSlack;
let discord: FakeDiscord;
let bot: Bot;
// Two days before the July 2024 meetup at Celonis; Berlin's meetup is a week later.
const clock = new ManualClock(berlin('2024-07-08T12:00'));

function community(slug: string, settings: string[], events?: Record<string, string[]>): void {
  const dir = path.join(root, 'communities', slug);
  mkdirSync(path.join(dir, 'events'), { recursive: true });
  writeFileSync(path.join(dir, 'settings.yml'), settings.join('\n'));
  cpSync(path.join(__dirname, '..', '..', 'data', 'announcements.yml'), path.join(dir, 'announcements.yml'));
  for (const [file, lines] of Object.entries(events ?? {})) writeFileSync(path.join(dir, 'events', file), lines.join('\n'));
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'sremuc-communities-'));
  community('sre-munich', [
    'name: SRE Munich',
    'hashtag: "#sremuc"',
    'timeZone: Europe/Berlin',
    'website: https://muc.sre.xyz',
    `slack: { team: ${MUC.team}, announce: [${MUC.slack}] }`,
    `discord: { guild: "${MUC.guild}", announce: ["${MUC.discord}"], organizers: "${MUC.organizers}" }`,
  ]);
  cpSync(path.join(__dirname, '..', '..', 'data', 'events'), path.join(root, 'communities', 'sre-munich', 'events'), { recursive: true });
  community(
    'k8s-berlin',
    ['name: Kubernetes Berlin', 'hashtag: "#k8sber"', 'timeZone: Europe/Berlin', `slack: { team: ${BER.team}, announce: [${BER.slack}], organizerUsers: [U0ANNA] }`, `discord: { guild: "${BER.guild}", announce: ["${BER.discord}"] }`],
    { 'k8s-berlin-2024-07.yml': ['title: Kubernetes Berlin July 2024', 'start: 2024-07-15T18:30', 'end: 2024-07-15T21:00', 'venue: c-base', 'address: Rungestraße 20, Berlin'] },
  );

  community(
    'cloud-munich',
    ['name: Cloud Munich', 'hashtag: "#cloudmuc"', 'timeZone: Europe/Berlin', `slack: { team: ${MUC.team}, announce: [${CLOUD.slack}], channels: [${CLOUD.chat}] }`],
    { 'cloud-munich-2024-07.yml': ['title: Cloud Munich July 2024', 'start: 2024-07-17T18:00', 'end: 2024-07-17T20:00', 'venue: Werk1'] },
  );

  slack = await FakeSlack.start({ botToken: 'xoxb-communities' });
  discord = await FakeDiscord.start({ channels: [MUC.discord, MUC.organizers] });
  discord.addChannel(BER.discord, 'berlin-news', BER.guild);
  discord.addChannel(STRAY.discord, 'elsewhere', STRAY.guild);
  const res = await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  expect(res.status).toBe(200);

  // SQLite, or PostgreSQL when the suite runs there (test/helpers/db.ts); opened once to create its schema.
  const database = sharedDb(root);
  const before = await database.open();
  // Parse results left by a community since taken out of COMMUNITIES_DIR, and by the earlier single-community set-up.
  for (const gone of ['paris', '']) await before.run(sql`INSERT INTO parse_cache (community, file, cache_key, result, checksum) VALUES (${gone}, 'events/x.md', 'k', '{}', 'c')`);
  await before.close();
  const config = loadConfig({
    COMMUNITIES_DIR: path.join(root, 'communities'),
    ...database.env,
    HTTP_PORT: '0',
    CONSOLE_CHAT: 'false',
    SLACK_BOT_TOKEN: 'xoxb-communities',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
  });
  bot = await createBot(config, { clock, log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
  await bot.start();
  await discord.ready();
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await discord?.close();
  rmSync(root, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function discordNext(channelId: string): Promise<string> {
  const handle = discord.dispatchInteraction({ kind: 'command', name: 'next', channelId, member: { id: '1400000000000000042', username: 'member' } });
  const callback = await handle.firstCallback;
  if (callback.type === 4) return JSON.stringify(callback.data);
  await waitFor(() => handle.state.original !== undefined, 'the deferred reply');
  return JSON.stringify(handle.state.original);
}

async function slackNext(team: string, channel: string): Promise<string> {
  const res = await slack.sendSlashCommand(`${bot.http.url}/slack/events`, SECRET, slack.slashCommandFields('next', '', { team_id: team, channel_id: channel }));
  expect(res.status).toBe(200);
  return JSON.stringify(res.json);
}

describe('several communities in one process', () => {
  it('loads each folder as a community', () => {
    expect(bot.communities.map((c) => [c.spec.slug, c.data.current().settings.name])).toEqual([
      ['cloud-munich', 'Cloud Munich'],
      ['k8s-berlin', 'Kubernetes Berlin'],
      ['sre-munich', 'SRE Munich'],
    ]);
  });

  it('deletes the parse cache rows of communities no longer configured, and keeps those of each configured one', async () => {
    const communities = async () => (await bot.db.rows(sql<{ community: string }>`SELECT DISTINCT community FROM parse_cache ORDER BY community`)).map((r) => r.community);
    await waitFor(async () => (await communities()).length === 3, 'the three communities\' rows');
    expect(await communities()).toEqual(['cloud-munich', 'k8s-berlin', 'sre-munich']);
  });

  it('answers /next on Discord from the community of the server it was typed in, and refuses a server of none', async () => {
    expect(await discordNext(MUC.discord)).toContain('SRE Munich at Celonis 2024');
    const berlinAnswer = await discordNext(BER.discord);
    expect(berlinAnswer).toContain('Kubernetes Berlin July 2024');
    expect(berlinAnswer).not.toContain('Celonis');
    const stray = await discordNext(STRAY.discord);
    expect(stray).toContain('not set up for any community');
    expect(stray).not.toMatch(/Celonis|Kubernetes Berlin/);
  });

  it('routes a button in a direct message (no server) by the meetup it names, when one community has it', async () => {
    const press = async (customId: string) => {
      // The reminder the bot sent earlier, in the member's direct messages.
      const dm = discord.seedMessage('1600000000000000042', { components: [{ type: 1, components: [{ type: 2, style: 4, label: 'Not going', custom_id: customId }] }] });
      const handle = discord.dispatchInteraction({ kind: 'button', customId, messageId: dm.id, channelId: '1600000000000000042', dm: true, member: { id: '1400000000000000042', username: 'member' } });
      const callback = await handle.firstCallback;
      if (callback.type === 4 || callback.type === 7) return JSON.stringify(callback.data);
      await waitFor(() => handle.state.original !== undefined || handle.state.followUps.length > 0, 'the deferred answer');
      return JSON.stringify(handle.state.original ?? handle.state.followUps);
    };
    // Answered by Berlin's RSVP service: that meetup takes no RSVPs in chat.
    expect(await press('rsvp:no:k8s-berlin-2024-07')).toContain('Kubernetes Berlin July 2024 does not take RSVPs in chat.');
    expect(await press('rsvp:no:no-such-meetup')).toContain('not set up for any community');
  });

  it("answers /next on Slack from the community of the channel or workspace, and refuses a workspace of none and a shared one's other channels", async () => {
    expect(await slackNext(MUC.team, MUC.slack)).toContain('SRE Munich at Celonis 2024');
    const berlinAnswer = await slackNext(BER.team, 'C0ANYWHERE');
    expect(berlinAnswer).toContain('Kubernetes Berlin July 2024');
    expect(berlinAnswer).not.toContain('Celonis');
    const cloud = await slackNext(MUC.team, CLOUD.chat);
    expect(cloud).toContain('Cloud Munich July 2024');
    expect(cloud).not.toContain('Celonis');
    const shared = await slackNext(MUC.team, 'C0ANYWHERE');
    expect(shared).toContain('has several communities');
    expect(shared).not.toMatch(/Celonis|Cloud Munich July/);
    const stray = await slackNext('T0NOBODY', 'C0ANYWHERE');
    expect(stray).toContain('not set up for any community');
    expect(stray).not.toMatch(/Celonis|Kubernetes Berlin/);
  });

  it('serves each community its own page and feeds under /c/<slug>/, and nothing at the single-community URLs', async () => {
    const munich = await (await fetch(`${bot.http.url}/c/sre-munich/calendar.ics`)).text();
    const berlinFeed = await fetch(`${bot.http.url}/c/k8s-berlin/calendar.ics`);
    expect(berlinFeed.status).toBe(200);
    const berlinIcs = await berlinFeed.text();
    expect(munich).toContain('SUMMARY:SRE Munich at Celonis 2024');
    expect(munich).not.toContain('Kubernetes Berlin');
    expect(berlinIcs.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(berlinIcs).toContain('SUMMARY:Kubernetes Berlin July 2024');
    expect((await fetch(`${bot.http.url}/c/k8s-berlin/events/k8s-berlin-2024-07.ics`)).status).toBe(200);
    expect((await fetch(`${bot.http.url}/c/sre-munich/events/k8s-berlin-2024-07.ics`)).status).toBe(404);
    const page = await (await fetch(`${bot.http.url}/c/k8s-berlin/`)).text();
    expect(page).toContain('Kubernetes Berlin');
    expect(page).toContain(`${bot.config.http.publicUrl}/c/k8s-berlin/calendar.ics`);
    expect((await fetch(`${bot.http.url}/calendar.ics`)).status).toBe(404);
    const index = await (await fetch(`${bot.http.url}/`)).text();
    expect(index).toContain('<a href="/c/k8s-berlin/">Kubernetes Berlin</a>');
    expect(index).toContain('<a href="/c/sre-munich/">SRE Munich</a>');
    expect((await fetch(`${bot.http.url}/c/nobody/calendar.ics`)).status).toBe(404);
  });

  it("a change to one community's folder reaches its feed and its commands, and no other community's", async () => {
    const berlin = bot.communities.find((c) => c.spec.slug === 'k8s-berlin')!;
    expect(await (await fetch(`${bot.http.url}/c/k8s-berlin/calendar.ics`)).text()).not.toContain('Kubernetes Berlin August 2024');
    writeFileSync(path.join(root, 'communities', 'k8s-berlin', 'events', 'k8s-berlin-2024-08.yml'), ['title: Kubernetes Berlin August 2024', 'start: 2024-08-19T18:30', 'venue: c-base'].join('\n'));
    berlin.data.reload();
    expect(await (await fetch(`${bot.http.url}/c/k8s-berlin/calendar.ics`)).text()).toContain('SUMMARY:Kubernetes Berlin August 2024');
    expect(await (await fetch(`${bot.http.url}/c/sre-munich/calendar.ics`)).text()).not.toContain('Kubernetes Berlin August 2024');
    const res = await slack.sendSlashCommand(`${bot.http.url}/slack/events`, SECRET, slack.slashCommandFields('events', '', { team_id: BER.team, channel_id: 'C0ANYWHERE' }));
    expect(JSON.stringify(res.json)).toContain('Kubernetes Berlin August 2024');
  });

  it("a community's organizers are organizers there only, and /announce pause pauses their community alone", async () => {
    const announce = (team: string, text: string) =>
      slack.sendSlashCommand(`${bot.http.url}/slack/events`, SECRET, slack.slashCommandFields('announce', text, { team_id: team, channel_id: team === MUC.team ? MUC.slack : 'C0ANYWHERE', user_id: 'U0ANNA', user_name: 'anna' }));
    expect(JSON.stringify((await announce(MUC.team, 'pause')).json)).toContain('for organizers only');
    expect((await announce(BER.team, 'pause')).status).toBe(200);
    const keys = async () => (await bot.db.rows(sql<{ key: string }>`SELECT key FROM bot_state WHERE key LIKE ${'%announcements.paused'}`)).map((r) => r.key);
    await waitFor(async () => (await keys()).length > 0, 'the pause');
    expect(await keys()).toEqual(['k8s-berlin/announcements.paused']);
    await announce(BER.team, 'resume');
    await waitFor(async () => (await keys()).length === 0, 'the resume');
  });

  it("posts each community's announcements to its own channels only, in one outbox that names the community", async () => {
    const own = (channel: string) => discord.messages(channel).filter((m) => !m.interactionId);
    await waitFor(() => slack.messages(MUC.slack).length === 1 && slack.messages(BER.slack).length === 1 && slack.messages(CLOUD.slack).length === 1 && own(MUC.discord).length === 1 && own(BER.discord).length === 1, 'every announcement');
    expect(slack.messages(MUC.slack)[0]!.text).toContain('SRE Munich at Celonis 2024');
    expect(slack.messages(BER.slack)[0]!.text).toContain('Kubernetes Berlin July 2024');
    expect(slack.messages(BER.slack)[0]!.text).not.toContain('Celonis');
    expect(slack.messages(CLOUD.slack)[0]!.text).toContain('Cloud Munich July 2024');
    expect(slack.messages(MUC.slack)[0]!.text).not.toContain('Cloud Munich');
    expect(JSON.stringify(own(BER.discord))).not.toContain('Celonis');
    expect(JSON.stringify(own(MUC.discord))).not.toContain('Kubernetes Berlin');
    const rows = await bot.db.rows(sql<{ community: string; channel: string; delivery_key: string }>`SELECT community, channel, delivery_key FROM outbox WHERE kind = 'rule' ORDER BY channel`);
    expect(rows.map((r) => [r.community, r.channel])).toEqual([
      ['sre-munich', MUC.slack],
      ['k8s-berlin', BER.slack],
      ['cloud-munich', CLOUD.slack],
      ['sre-munich', MUC.discord],
      ['k8s-berlin', BER.discord],
    ].sort((a, b) => a[1]!.localeCompare(b[1]!)));
    for (const row of rows) expect(row.delivery_key.startsWith(`${row.community}/`)).toBe(true);
  });
});
