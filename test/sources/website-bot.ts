/**
 * The whole bot (console chat) following a website repository on a real git server (git http-backend on
 * loopback): what the git source tests share. Each test file makes one, writes its first commit in `start`, and
 * reads the console's output and the bot's state as it goes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createBot, type Bot } from '../../src/bot';
import type { Clock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { GitServer, type TestRepository } from '../fakes/git-server';
import { botDatabaseEnv } from '../helpers/db';
import { SETTINGS } from './git-posts';

export interface WebsiteBotOptions {
  /** Start of the temporary folder's name, to tell the tests' folders apart. */
  prefix: string;
  /** More of the bot's environment (EVENTS_SOURCE and the folders are set). */
  env?: Record<string, string>;
  clock?: Clock;
  /** data/announcements.yml; none by default. */
  rules?: string;
}

export class WebsiteBot {
  readonly server = new GitServer();
  repo!: TestRepository;
  dir!: string;
  config!: Config;
  bot!: Bot;
  /** The console's input; replaced at each restart. */
  input = new PassThrough();
  /** Everything the console printed, across restarts. */
  output = '';

  constructor(private readonly options: WebsiteBotOptions) {}

  /** Starts the git server, lets `firstCommit` fill the repository, then starts the bot on it. */
  async start(firstCommit: (repo: TestRepository) => void): Promise<void> {
    await this.server.start();
    this.repo = this.server.repository('website');
    firstCommit(this.repo);
    this.dir = mkdtempSync(path.join(tmpdir(), this.options.prefix));
    mkdirSync(path.join(this.dir, 'data'));
    writeFileSync(path.join(this.dir, 'data', 'settings.yml'), SETTINGS);
    if (this.options.rules) writeFileSync(path.join(this.dir, 'data', 'announcements.yml'), this.options.rules);
    this.config = loadConfig({
      DATA_DIR: path.join(this.dir, 'data'),
      ...(await botDatabaseEnv(this.dir)),
      HTTP_PORT: '0',
      CONSOLE_CHAT: 'true',
      EVENTS_SOURCE: this.repo.url,
      EVENTS_POLL_MINUTES: '0',
      ...this.options.env,
    });
    await this.startBot();
  }

  /** A fresh bot process's worth of state on the same database and checkout (for restarts). */
  async startBot(): Promise<void> {
    this.input = new PassThrough();
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.bot = await createBot(this.config, { clock: this.options.clock, input: this.input, output: out, log: createLogger(process.env.BOT_TEST_LOG ?? 'silent') });
    await this.bot.start();
  }

  async stop(): Promise<void> {
    await this.bot?.stop();
    await this.server.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Types a command into the console and waits until what it printed since matches. */
  async ask(command: string, answer: RegExp | string, what = 'the console answer'): Promise<string> {
    const from = this.output.length;
    this.input.write(`${command}\n`);
    const printed = () => this.output.slice(from);
    await this.waitFor(() => (typeof answer === 'string' ? printed().includes(answer) : answer.test(printed())), what);
    return printed();
  }

  /** Waits (up to a minute: every step runs git processes) with the console's last output in the error. */
  async waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}\n${this.output.slice(-3000)}`);
  }
}
