/**
 * `npm start` refusing configurations that cannot work, each with a message naming the variable and exit code 2
 * (systemd does not restart it: see deploy/). The value checks themselves are unit-tested in test/config.test.ts
 * and test/store/migrate.test.ts; these are the ones only a real start-up finds.
 */
import { createServer, type Server } from 'node:net';
import { FakeDiscord } from '../fakes/discord';
import { FakeSlack } from '../fakes/slack';
import { startBot, type BotProcess } from './harness';

let bot: BotProcess | undefined;
afterEach(() => {
  bot?.cleanup();
  bot = undefined;
});

/** Starts the bot with `env`, expects it to exit 2 by itself, and returns what it printed on stderr. */
async function refused(env: Record<string, string>): Promise<string> {
  bot = await startBot(env, { until: 'spawned' });
  const exit = await bot.exited;
  expect({ exit, stdout: bot.stdout() }).toEqual({ exit: { code: 2, signal: null }, stdout: '' });
  return bot.stderr();
}

describe('npm start refuses what only start-up can find', () => {
  it('HTTP_PORT already in use', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      expect(await refused({ HTTP_PORT: String(port) })).toContain(`HTTP_PORT: 127.0.0.1:${port} is already in use`);
    } finally {
      taken.close();
    }
  });

  it('HTTP_HOST that does not resolve', async () => {
    expect(await refused({ HTTP_HOST: 'no-such-host.invalid' })).toContain('HTTP_HOST: cannot resolve "no-such-host.invalid"');
  });

  it('SCHEDULE_CRON that is not a cron expression, and DATABASE_PATH under /proc', async () => {
    expect(await refused({ SCHEDULE_CRON: 'bad' })).toContain('SCHEDULE_CRON: not a cron expression');
    bot!.cleanup();
    // The SQLite file is the store under test here, on either project.
    expect(await refused({ DATABASE_PATH: '/proc/x/bot.db', DATABASE_URL: '' })).toContain('DATABASE_PATH: cannot create the folder /proc/x');
  });

  describe('a token the platform rejects, naming which token', () => {
    let slack: FakeSlack;
    let discord: FakeDiscord;
    beforeAll(async () => {
      slack = await FakeSlack.start({ botToken: 'xoxb-right', appToken: 'xapp-right' });
      discord = await FakeDiscord.start({ token: 'right-token' });
    });
    afterAll(async () => {
      await slack.close();
      await discord.close();
    });

    it('SLACK_BOT_TOKEN', async () => {
      const stderr = await refused({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl });
      expect(stderr).toContain('SLACK_BOT_TOKEN: Slack rejected the token (invalid_auth)');
      expect(stderr).not.toContain('xoxb-wrong');
    });

    it('SLACK_APP_TOKEN in Socket Mode', async () => {
      const stderr = await refused({ SLACK_BOT_TOKEN: 'xoxb-right', SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-wrong', SLACK_API_URL: slack.apiUrl });
      expect(stderr).toContain('SLACK_APP_TOKEN: Slack rejected the token (invalid_auth)');
    });

    it('DISCORD_TOKEN', async () => {
      const stderr = await refused({ DISCORD_TOKEN: 'wrong-token', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl });
      expect(stderr).toContain('DISCORD_TOKEN: Discord rejected the token');
    });
  });
});
