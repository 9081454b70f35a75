/**
 * Try the real bot by hand, outside jest: starts the fake Slack and the fake Discord, prints the environment to
 * start `npm start` with, waits for the bot's /healthz, then sends a signed /agenda over Slack (HTTP mode, or an
 * envelope in Socket Mode) and an /agenda interaction over Discord, and prints the answers.
 *
 *   npm run build && node dist/test/process/try-it.js [http|socket]
 *   # in a second terminal, the printed line: env ... npm start
 */
import { loadCommands } from '../../src/commands/registry';
import { toApplicationCommands } from '../../src/chat/discord/commands';
import { FakeDiscord } from '../fakes/discord';
import { FakeSlack } from '../fakes/slack';
import { freeLoopbackPort } from '../fakes/loopback';

const SECRET = 'try-it-signing-secret';

async function main(): Promise<void> {
  const mode = process.argv[2] === 'socket' ? 'socket' : 'http';
  const slack = await FakeSlack.start({ botToken: 'xoxb-try-it', appToken: 'xapp-try-it' });
  const discord = await FakeDiscord.start({ channels: ['1300000000000000001'] });
  await fetch(`${discord.apiUrl}/v10/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(toApplicationCommands(loadCommands().values())),
  });
  const httpPort = await freeLoopbackPort();
  const env = {
    HTTP_PORT: String(httpPort),
    DATABASE_PATH: `/tmp/sremuc-try-it-${httpPort}.db`,
    SLACK_BOT_TOKEN: 'xoxb-try-it',
    SLACK_API_URL: slack.apiUrl,
    SLACK_ANNOUNCE_CHANNELS: 'C0ANNOUNCE',
    ...(mode === 'http' ? { SLACK_SIGNING_SECRET: SECRET } : { SLACK_MODE: 'socket', SLACK_APP_TOKEN: 'xapp-try-it' }),
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_ANNOUNCE_CHANNELS: '1300000000000000001',
    DISCORD_SYNC_SCHEDULED_EVENTS: 'false',
  };
  console.log(`Start the bot with:\n  env ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} npm start\n`);

  while (!(await fetch(`http://127.0.0.1:${httpPort}/healthz`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 200));
  console.log('the bot answers /healthz');

  if (mode === 'http') {
    const res = await slack.sendSlashCommand(`http://127.0.0.1:${httpPort}/slack/events`, SECRET, slack.slashCommandFields('agenda', ''));
    console.log(`Slack (HTTP mode) /agenda: HTTP ${res.status}\n${String(res.json?.text)}\n`);
  } else {
    const ack = await slack.sendEnvelope('slash_commands', slack.slashCommandFields('agenda', ''));
    console.log(`Slack (Socket Mode) /agenda ack:\n${String(ack.payload?.text)}\n`);
  }
  await discord.ready();
  const handle = discord.dispatchInteraction({ kind: 'command', name: 'agenda', member: { id: '42', username: 'member' } });
  const callback = await handle.firstCallback;
  while (callback.type !== 4 && !handle.state.original) await new Promise((r) => setTimeout(r, 50));
  const answer = (callback.type === 4 ? callback.data : handle.state.original) as { embeds?: { title?: string }[] };
  console.log(`Discord /agenda: callback type ${callback.type}, embed "${answer.embeds?.[0]?.title ?? '(none)'}"`);
  await slack.close();
  await discord.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
