/**
 * `npm start` installable into many Slack workspaces (SLACK_CLIENT_ID instead of SLACK_BOT_TOKEN), as an
 * organizer runs it: the real process against the fake Slack, a workspace installing it through /slack/install,
 * its commands answered with its own token, and removing the app deleting the stored installation.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openConfigured } from '../../src/store/db';
import { FakeSlack } from '../fakes/slack';
import { freeLoopbackPort } from '../fakes/loopback';
import { install } from '../helpers/slack-install';
import { MEETUP_TITLE, startBot, until, type BotProcess } from './harness';

const SECRET = 'process-oauth-signing-secret';
const TEAM = 'T0PROCESS';
let slack: FakeSlack;
let bot: BotProcess | undefined;

beforeEach(async () => {
  slack = await FakeSlack.start();
});
afterEach(async () => {
  bot?.cleanup();
  bot = undefined;
  await slack.close();
});

describe('npm start with Slack installed through OAuth', () => {
  it('installs into a workspace, answers it with its token, forgets it when the app is removed, and stops cleanly', async () => {
    const port = await freeLoopbackPort();
    slack.enableOAuth({ clientId: '42.43', clientSecret: 'process-client-secret', redirectUri: `http://127.0.0.1:${port}/slack/oauth_redirect` });
    bot = await startBot({
      HTTP_PORT: String(port),
      SLACK_CLIENT_ID: '42.43',
      SLACK_CLIENT_SECRET: 'process-client-secret',
      SLACK_STATE_SECRET: 'process-state-secret',
      SLACK_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    const events = `${bot.httpUrl}/slack/events`;

    const installed = await install(bot.httpUrl, slack, TEAM);
    expect(installed.status).toBe(200);
    const [token] = slack.tokensOf(TEAM);
    // The bot's own database, whichever store this run uses.
    const db = await openConfigured({ databasePath: bot.env.DATABASE_PATH!, databaseUrl: bot.env.DATABASE_URL });
    try {
      const rows = () => db.rows(sql<{ team_id: string; sealed: string }>`SELECT team_id, sealed FROM slack_installations`);
      const [row] = await rows();
      expect(row?.team_id).toBe(TEAM);
      expect(row?.sealed).not.toContain(token);

      const agenda = await slack.sendSlashCommand(events, SECRET, slack.slashCommandFields('agenda', '', { team_id: TEAM }));
      expect(String(agenda.json?.text)).toContain(MEETUP_TITLE);
      await slack.sendSlashCommand(events, SECRET, slack.slashCommandFields('cfp', 'submit', { team_id: TEAM }));
      await until(() => slack.callsTo('views.open').length > 0);
      expect(slack.callsTo('views.open')[0]!.token).toBe(token);

      slack.uninstall(TEAM);
      expect((await slack.sendEvent(events, SECRET, TEAM, { type: 'app_uninstalled' })).status).toBe(200);
      await bot.waitFor('"msg":"slack workspace removed the app; its installation is deleted"', 'stderr');
      expect(await rows()).toEqual([]);
    } finally {
      await db.close();
    }
    expect(await bot.terminate()).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).not.toContain(token);
  });
});
