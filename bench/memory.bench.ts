/**
 * Resident memory after start: the bot as `npm start` runs it with Slack (HTTP mode), Discord and the feeds on,
 * the real data/ loaded, against a process holding a bare Bolt app and a bare discord.js client connected to
 * the same fakes. Each round starts both afresh and reads VmRSS two seconds after they are ready.
 * Goal: at most 1.3x the bare process.
 */
import { FakeDiscord } from '../test/fakes/discord';
import { FakeSlack } from '../test/fakes/slack';
import { freeLoopbackPort } from '../test/fakes/loopback';
import { alternate, startBare, startBot, type Started } from './harness';

const SETTLE_MS = 2000;

async function rssAfterStart(start: () => Promise<Started>): Promise<number> {
  const started = await start();
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return started.rssMb();
  } finally {
    await started.stop();
  }
}

async function main(): Promise<void> {
  const slack = await FakeSlack.start({ botToken: 'xoxb-bench-token' });
  const discord = await FakeDiscord.start({ channels: ['1300000000000000001'] });
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
  };
  try {
    await alternate({
      title: `Resident memory ${SETTLE_MS / 1000} s after start, Slack + Discord${' + feeds'} on`,
      unit: 'MB',
      ours: { name: 'sremuc-bot (npm start)', measure: () => rssAfterStart(() => startBot(env)) },
      baseline: { name: 'bare Bolt app + bare discord.js client', measure: async () => rssAfterStart(async () => startBare({ ...env, SLACK_PORT: String(await freeLoopbackPort()) })) },
      goal: { op: '<=', ratio: 1.3 },
    });
  } finally {
    await slack.close();
    await discord.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
