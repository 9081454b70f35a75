/**
 * Starts the real SlackChat (Bolt) against a FakeSlack for the end-to-end tests in test/chat/slack*.test.ts and
 * bench/slack.bench.ts; `contractDispatcher` drives command definitions the way src/chat/dispatch.ts does.
 */
import type { SlackConfig } from '../../src/config';
import type { Caller, CommandDefinition, CommandServices } from '../../src/commands/definition';
import { ArgumentError, parseCommandText } from '../../src/commands/registry';
import { message, type CommandReply } from '../../src/chat/message';
import { SlackChat, type SlackDispatcher } from '../../src/chat/slack/adapter';
import type { ModalOutcome } from '../../src/chat/dispatch';
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
    ackBudgetMs: options.ackBudgetMs ?? 100,
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
 * The dispatcher contract (createDispatcher in src/chat/dispatch.ts, not in the tree when these tests were
 * written) reduced to what the Slack protocol cases need: parse the text, refuse organizer-only parts to
 * others, run, turn ArgumentErrors into ephemeral answers (or field errors for modals).
 */
export function contractDispatcher(commands: Map<string, CommandDefinition>, services: CommandServices): SlackDispatcher {
  const refusal = (text: string): CommandReply => ({ message: message({ intro: [text], ephemeral: true }) });
  return {
    async runText(name: string, text: string, caller: Caller) {
      const command = commands.get(name)!;
      try {
        const input = parseCommandText(command, text);
        const sub = command.subcommands?.find((s) => s.name === input.subcommand);
        if ((command.organizerOnly || sub?.organizerOnly) && !caller.isOrganizer) return refusal(`/${name} ${sub?.name ?? ''} is for organizers only.`.replace(' .', '.'));
        return await command.run({ input, caller, services });
      } catch (error) {
        if (error instanceof ArgumentError) return refusal(error.message);
        throw error;
      }
    },
    async button(actionId: string, caller: Caller) {
      const [name = '', action = '', arg = ''] = actionId.split(':');
      return commands.get(name)!.onButton!({ input: { options: {} }, caller, services }, action, arg);
    },
    async modalSubmit(modalId: string, values: Record<string, string>, caller: Caller): Promise<ModalOutcome> {
      const [name = '', purpose = ''] = modalId.split(':');
      try {
        return await commands.get(name)!.onModalSubmit!({ input: { options: {} }, caller, services }, { purpose, values });
      } catch (error) {
        if (error instanceof ArgumentError) return { errors: { [error.message.split(':')[0]!]: error.message } };
        throw error;
      }
    },
  };
}
