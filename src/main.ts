import 'dotenv/config';
import path from 'node:path';
import { createBot } from './bot';
import { ConfigError, loadConfig, type Config } from './config';
import { unknownVariableWarnings } from './config-warnings';
import { createLogger } from './log';

/**
 * Entry point (`npm start`): wiring lives in bot.ts; this reads the environment, chooses where logs go, handles
 * signals and the end of the console's input, and turns a refused configuration into its message and exit 2.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel, logFile(config));
  for (const warning of unknownVariableWarnings(process.env)) log.warn(warning);

  const bot = await createBot(config, { input: process.stdin, output: process.stdout, log });
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    await bot.stop(reason);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await bot.start();
  } catch (error) {
    // Whatever did start (the database, a listening port, a gateway connection) is closed before the exit.
    await bot.stop('start-up failed').catch(() => undefined);
    throw error;
  }
  // Ctrl-D on the console chat (or the end of a piped file) ends the bot, like any command-line program.
  bot.inputEnded()?.then(() => stop('end of input'));
}

/**
 * LOG_FILE when set. Otherwise stderr, except when the console chat runs on a terminal: there stderr is the same
 * screen as the chat, so logs go to sremuc.log next to the database, and one line says so.
 */
function logFile(config: Config): string | undefined {
  if (config.logFile) return config.logFile;
  if (!config.console || !process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const file = path.join(path.dirname(config.databasePath === ':memory:' ? 'var/x' : config.databasePath), 'sremuc.log');
  process.stderr.write(`Logs go to ${file} (set LOG_FILE to choose another file).\n`);
  return file;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee .env.example and the README's "Setting it up" for every variable.\n`);
    process.exit(2);
  }
  process.stderr.write(`sremuc-bot failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
