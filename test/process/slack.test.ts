/**
 * `npm start` with a Slack configuration, as an organizer runs it: the real process against the fake Slack, in
 * HTTP mode (Slack calls /slack/events on HTTP_PORT, next to the feeds, with signed requests) and in Socket Mode (Slack sends envelopes over a
 * WebSocket the bot opened).
 */
import { FakeSlack } from '../fakes/slack';
import { healthz, MEETUP_TITLE, startBot, until, type BotProcess } from './harness';

const SECRET = 'process-signing-secret';
const CHANNEL = 'C0ANNOUNCE';
let slack: FakeSlack;
let bot: BotProcess | undefined;

beforeEach(async () => {
  slack = await FakeSlack.start({ botToken: 'xoxb-process', appToken: 'xapp-process' });
});
afterEach(async () => {
  bot?.cleanup();
  bot = undefined;
  await slack.close();
});

const slackEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-process', SLACK_API_URL: slack.apiUrl, SLACK_ANNOUNCE_CHANNELS: CHANNEL });
const announced = () => slack.messages(CHANNEL).some((m) => m.text?.includes(`The next SRE Munich meetup is on! ${MEETUP_TITLE}`));

describe('npm start with Slack in HTTP mode', () => {
  it('answers a signed /agenda, announces the meetup, answers /healthz and stops cleanly on SIGTERM', async () => {
    bot = await startBot({ ...slackEnv(), SLACK_SIGNING_SECRET: SECRET });

    const res = await slack.sendSlashCommand(`${bot.httpUrl}/slack/events`, SECRET, slack.slashCommandFields('agenda', ''));
    expect(res.status).toBe(200);
    expect(String(res.json?.text)).toContain(MEETUP_TITLE);
    const forged = await slack.sendSlashCommand(`${bot.httpUrl}/slack/events`, 'not-the-secret', slack.slashCommandFields('agenda', ''));
    expect(forged.status).toBe(401);

    await until(announced);
    expect((await healthz(bot)).status).toBe(200);
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).toContain('"msg":"sremuc-bot stopping"');
  });
});

describe('npm start with Slack in Socket Mode', () => {
  it('answers an /agenda envelope, announces the meetup, answers /healthz and stops cleanly on SIGTERM', async () => {
    bot = await startBot({ ...slackEnv(), SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-process' });

    const ack = await slack.sendEnvelope('slash_commands', slack.slashCommandFields('agenda', ''));
    expect(JSON.stringify(ack.payload)).toContain(MEETUP_TITLE);

    await until(announced);
    expect((await healthz(bot)).status).toBe(200);
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
  });
});
