/**
 * The baseline process of the benchmarks: a bare Bolt app whose only listener acks "ok" to /agenda (when
 * SLACK_BOT_TOKEN is set) and a bare discord.js client that answers every interaction "ok" (when DISCORD_TOKEN
 * is set), each the way its own getting-started guide writes it. Writes READY_FILE once both are up.
 */
import { writeFileSync } from 'node:fs';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { Client, Events, GatewayIntentBits } from 'discord.js';

async function main(): Promise<void> {
  const env = process.env;
  const stops: (() => Promise<unknown>)[] = [];
  if (env.SLACK_BOT_TOKEN) {
    const receiver = new HTTPReceiver({ signingSecret: env.SLACK_SIGNING_SECRET!, logLevel: LogLevel.ERROR });
    const app = new App({ token: env.SLACK_BOT_TOKEN, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: env.SLACK_API_URL } });
    app.command('/agenda', async ({ ack }) => ack('ok'));
    await app.start(Number(env.SLACK_PORT));
    stops.push(() => app.stop());
  }
  if (env.DISCORD_TOKEN) {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_URL! } });
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) void interaction.reply('ok');
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(env.DISCORD_TOKEN);
    await ready;
    stops.push(() => client.destroy());
  }
  process.on('SIGTERM', () => void Promise.all(stops.map((s) => s())).then(() => process.exit(0)));
  writeFileSync(env.READY_FILE!, 'ready');
}

void main();
