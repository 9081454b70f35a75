/**
 * Starts the real SlackChat (Bolt) against a FakeSlack for the end-to-end tests in test/chat/slack*.test.ts and
 * bench/slack.bench.ts; `contractDispatcher` is the real dispatcher (src/chat/dispatch.ts) with a silent log.
 */
import type { SlackConfig } from '../../src/config';
import type { CommandDefinition, CommandServices } from '../../src/commands/definition';
import { createDispatcher } from '../../src/chat/dispatch';
import { SlackChat } from '../../src/chat/slack/adapter';
import type { SlackDispatcher } from '../../src/chat/slack/interactions';
import { createLogger } from '../../src/log';
import { FakeSlack } from '../fakes/slack';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-test-token';

export interface SlackBot {
  slack: FakeSlack;
  chat: SlackChat;
  /** Bolt's HTTP endpoint (HTTP mode). */
  eventsUrl: string;
  stop(): Promise<void>;
}

export async function startSlackBot(options: {
  commands: Map<string, CommandDefinition>;
  dispatcher: SlackDispatcher;
  config?: Partial<SlackConfig>;
  ackBudgetMs?: number;
}): Promise<SlackBot> {
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const chat = new SlackChat({
    config: {
      botToken: BOT_TOKEN,
      mode: 'http',
      signingSecret: SIGNING_SECRET,
      appToken: APP_TOKEN,
      port: 0,
      apiUrl: slack.apiUrl,
      announceChannels: ['C0ANNOUNCE'],
      organizerUserIds: [],
      ...options.config,
    },
    commands: options.commands,
    dispatcher: options.dispatcher,
    log: createLogger(process.env.SLACK_TEST_LOG ?? 'silent'),
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    // The adapter's own budget (1 s) unless a test asks: a command answered in the ack on a quiet machine is still
    // answered there when a loaded CI machine takes a few hundred ms for a first request.
    ackBudgetMs: options.ackBudgetMs,
  });
  await chat.start();
  return {
    slack,
    chat,
    eventsUrl: `http://127.0.0.1:${chat.port ?? 0}/slack/events`,
    stop: async () => {
      await chat.stop();
      await slack.close();
    },
  };
}

/**
 * The dispatcher the Slack adapter was built against, now the real one (src/chat/dispatch.ts) with a silent
 * log: kept under this name for the tests and benchmarks that already use it.
 */
export function contractDispatcher(commands: Map<string, CommandDefinition>, services: CommandServices): SlackDispatcher {
  return createDispatcher(commands, services, createLogger('silent'));
}
