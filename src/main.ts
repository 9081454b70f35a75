import 'dotenv/config';
import { createBot } from './bot';
import { ConfigError, loadConfig } from './config';

/** Entry point (`npm start`): wiring lives in bot.ts; this only reads the environment and handles signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw error;
  }
  const bot = await createBot(config, { input: process.stdin, output: process.stdout });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await bot.stop(signal);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await bot.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`sremuc-bot failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
