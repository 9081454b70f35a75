import 'dotenv/config';
import { createBot } from './bot';
import { loadConfigOrExit } from './config';

/** Entry point (`npm start`): wiring lives in bot.ts; this only reads the environment and handles signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
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
