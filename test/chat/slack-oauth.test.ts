/**
 * Slack installed into many workspaces through Bolt's real OAuth flow, against the fake Slack: the whole bot as
 * `npm start` wires it (createBot), with SLACK_CLIENT_ID instead of SLACK_BOT_TOKEN. Each workspace's requests
 * and posts go out with its own token, read from the sealed installation in the database; removing the app
 * deletes the installation.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createBot, type Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { ManualClock } from '../helpers/clock';
import { createLogger } from '../../src/log';
import { FakeSlack } from '../fakes/slack';
import { freeLoopbackPort } from '../fakes/loopback';
import { botDatabaseEnv } from '../helpers/db';
import { berlin } from '../helpers/events';
import { finishInstall, install, startInstall } from '../helpers/slack-install';

const SIGNING_SECRET = 'oauth-signing-secret';
const CLIENT = { clientId: '1234.5678', clientSecret: 'oauth-client-secret' };
const T1 = 'T0ONE';
const T2 = 'T0TWO';
const TITLE = 'SRE Munich OAuth Test Meetup';

let dir: string;
let slack: FakeSlack;
let bot: Bot;
let events: string;
const clock = new ManualClock(berlin('2026-02-01T12:00'));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sremuc-oauth-'));
  const data = path.join(dir, 'data');
  mkdirSync(path.join(data, 'events'), { recursive: true });
  for (const file of ['settings.yml', 'announcements.yml']) copyFileSync(path.join(__dirname, '..', '..', 'data', file), path.join(data, file));
  writeFileSync(path.join(data, 'events', 'oauth-test.yml'), [`title: ${TITLE}`, 'start: "2026-03-20 18:30"', 'end: "21:30"', 'venue: Example GmbH'].join('\n'));
  slack = await FakeSlack.start();
  const port = await freeLoopbackPort();
  const redirectUri = `http://127.0.0.1:${port}/slack/oauth_redirect`;
  slack.enableOAuth({ ...CLIENT, redirectUri });
  const config = loadConfig({
    DATA_DIR: data,
    ...(await botDatabaseEnv(dir)),
    HTTP_PORT: String(port),
    CONSOLE_CHAT: 'false',
    SLACK_CLIENT_ID: CLIENT.clientId,
    SLACK_CLIENT_SECRET: CLIENT.clientSecret,
    SLACK_STATE_SECRET: 'oauth-state-secret',
    SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_ANNOUNCE_CHANNELS: `${T1}/C1ANNOUNCE,${T2}/C2ANNOUNCE`,
    SLACK_ORGANIZER_USERGROUP: `${T2}/S0ORGS`,
  });
  expect(config.slack?.oauth?.redirectUri).toBe(redirectUri);
  bot = await createBot(config, { clock, log: createLogger(process.env.SLACK_TEST_LOG ?? 'silent') });
  await bot.start();
  events = `${bot.http.url}/slack/events`;
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => bot.db.rows(sql<{ team_id: string; team_name: string | null; sealed: string }>`SELECT team_id, team_name, sealed FROM slack_installations ORDER BY team_id`);
const command = (team: string, name: string, text = '') => slack.sendSlashCommand(events, SIGNING_SECRET, slack.slashCommandFields(name, text, { team_id: team }));
const postsTo = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && c.status === 200);

describe('Slack installed into many workspaces (OAuth)', () => {
  it('answers nothing for a workspace that has not installed the app', async () => {
    // Bolt's authorize finds no installation: the request is acked empty and no handler runs.
    const res = await command(T1, 'agenda');
    expect(res.body).toBe('');
  });

  it('installs through /slack/install and /slack/oauth_redirect, keeping only the sealed installation', async () => {
    const steps = await startInstall(bot.http.url, slack, T1);
    expect(`${steps.authorize.origin}${steps.authorize.pathname}`).toBe(slack.authorizeUrl);
    expect(steps.authorize.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(steps.authorize.searchParams.get('scope')?.split(',')).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write']));
    expect(steps.cookie).toMatch(/^slack-app-oauth-state=.+/);
    const done = await finishInstall(steps.callback, steps.cookie);
    expect(done.status).toBe(200);
    expect(done.body).toContain('Thank you!');
    expect((await install(bot.http.url, slack, T2)).status).toBe(200);

    const stored = await rows();
    expect(stored.map((r) => [r.team_id, r.team_name])).toEqual([
      [T1, `Workspace ${T1}`],
      [T2, `Workspace ${T2}`],
    ]);
    const tokens = [...slack.tokensOf(T1), ...slack.tokensOf(T2)];
    expect(tokens).toHaveLength(2);
    for (const r of stored) for (const token of tokens) expect(r.sealed).not.toContain(token);
    for (const r of stored) expect(r.sealed).not.toContain('xoxb-');
  });

  it('refuses a redirect whose state the bot did not issue, or that comes without the browser’s state cookie', async () => {
    const exchanges = slack.callsTo('oauth.v2.access').length;
    const steps = await startInstall(bot.http.url, slack, 'T0FORGED');
    const forged = new URL(steps.callback);
    forged.searchParams.set('state', 'forged-state');
    const withForgedState = await finishInstall(forged, 'slack-app-oauth-state=forged-state');
    expect(withForgedState.status).toBe(400);
    expect(withForgedState.body).toContain('slack_oauth_invalid_state');
    const withoutCookie = await finishInstall(steps.callback, undefined);
    expect(withoutCookie.status).toBe(400);
    expect(slack.callsTo('oauth.v2.access')).toHaveLength(exchanges);
    expect((await rows()).map((r) => r.team_id)).toEqual([T1, T2]);
  });

  it('answers each workspace’s commands with that workspace’s token', async () => {
    const agenda = await command(T2, 'agenda');
    expect(agenda.status).toBe(200);
    expect(String(agenda.json?.text)).toContain(TITLE);

    // /cfp submit opens a form: views.open goes out with the token of the workspace the command came from.
    const opened = slack.callsTo('views.open').length;
    expect((await command(T1, 'cfp', 'submit')).status).toBe(200);
    await until(() => slack.callsTo('views.open').length > opened);
    expect(slack.callsTo('views.open').at(-1)!.token).toBe(slack.tokensOf(T1)[0]);
    expect((await command(T2, 'cfp', 'submit')).status).toBe(200);
    await until(() => slack.callsTo('views.open').length > opened + 1);
    expect(slack.callsTo('views.open').at(-1)!.token).toBe(slack.tokensOf(T2)[0]);
  });

  it('checks the organizers’ user group in its own workspace, with that workspace’s token', async () => {
    slack.setUsergroup('S0ORGS', ['U0MEMBER']);
    const earlier = slack.callsTo('usergroups.users.list').length;
    const inT2 = await command(T2, 'announce', 'list');
    expect(String(inT2.json?.text)).not.toContain('is for organizers only');
    const lists = slack.callsTo('usergroups.users.list').slice(earlier);
    expect(lists.map((c) => [c.params.usergroup, c.token])).toEqual([['S0ORGS', slack.tokensOf(T2)[0]]]);
    // The same member id in the other workspace is not in that group: no rights there, and no call made.
    const inT1 = await command(T1, 'announce', 'list');
    expect(String(inT1.json?.text)).toContain('/announce is for organizers only.');
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(earlier + 1);
  });

  it('posts each workspace’s announcement with that workspace’s token', async () => {
    clock.set(berlin('2026-03-06T10:05'));
    await bot.scheduler.tick();
    const [one] = postsTo('C1ANNOUNCE');
    const [two] = postsTo('C2ANNOUNCE');
    expect(one?.token).toBe(slack.tokensOf(T1)[0]);
    expect(two?.token).toBe(slack.tokensOf(T2)[0]);
    expect(slack.messages('C1ANNOUNCE')[0]?.text).toContain(`The next SRE Munich meetup is on! ${TITLE}`);
  });

  it('deletes the installation when the workspace removes the app, and posts nothing more there', async () => {
    slack.uninstall(T1);
    expect((await slack.sendEvent(events, SIGNING_SECRET, T1, { type: 'app_uninstalled' })).status).toBe(200);
    await until(async () => (await rows()).length === 1);
    expect((await rows()).map((r) => r.team_id)).toEqual([T2]);
    expect((await command(T1, 'agenda')).body).toBe('');

    // The reminder the day before: the workspace that stayed gets it; none is attempted at the one that left.
    const before = postsTo('C1ANNOUNCE').length;
    clock.set(berlin('2026-03-19T10:05'));
    await bot.scheduler.tick();
    expect(postsTo('C2ANNOUNCE')).toHaveLength(2);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C1ANNOUNCE')).toHaveLength(before);
    const held = await bot.db.rows(sql<{ status: string; last_error: string }>`SELECT status, last_error FROM outbox WHERE channel = ${`${T1}/C1ANNOUNCE`} AND status <> 'sent'`);
    expect(held).toEqual([{ status: 'pending', last_error: expect.stringContaining(`Slack workspace ${T1} has not installed the app (or removed it)`) }]);
  });

  it('deletes the installation when the bot token is revoked', async () => {
    const revoked = await slack.sendEvent(events, SIGNING_SECRET, T2, { type: 'tokens_revoked', tokens: { bot: [slack.botUserId] } });
    expect(revoked.status).toBe(200);
    await until(async () => (await rows()).length === 0);
  });
});

/** Waits for what the bot does after it acked (a handler still running); gives up with an error after ~10 s. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition never held');
}
