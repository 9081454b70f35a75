import type { Logger } from '../log';
import { commandsTotal } from '../metrics';
import { ArgumentError, type Caller, type CommandContext, type CommandDefinition, type CommandInput, type CommandServices } from '../commands/definition';
import { parseCommandText } from '../commands/registry';
import { message, type CommandReply, type MessageModel } from './message';
import { checkInput, organizerRefusal } from './input-check';
import { fieldErrorsOf } from './form-errors';
import { reportFailure, SOMETHING_WENT_WRONG } from './failure-report';

/** What a submitted modal yields: a confirmation to show, or per-field problems to show next to the inputs. */
export type ModalOutcome = MessageModel | { errors: Record<string, string> };

export interface Completion {
  name: string;
  value: string;
}

/** One entry point per kind of interaction; every adapter (Slack, Discord, console) drives the same one. */
export interface Dispatcher {
  /** Free text after the command, as Slack and the console deliver it. */
  runText(name: string, text: string, caller: Caller): Promise<CommandReply>;
  /** Options already split by the platform, as Discord delivers them. */
  run(name: string, input: CommandInput, caller: Caller): Promise<CommandReply>;
  autocomplete(name: string, option: string, typed: string, caller: Caller): Completion[];
  /** A button with id "<command>:<action>:<arg>". */
  button(actionId: string, caller: Caller): Promise<CommandReply>;
  /** A form with id "<command>:<purpose>". */
  modalSubmit(modalId: string, values: Record<string, string>, caller: Caller): Promise<ModalOutcome>;
}

type Outcome = 'ok' | 'invalid' | 'refused' | 'unknown' | 'error';

/** What a command is shown of the partly typed value (Discord sends at most this much to autocomplete). */
const TYPED_MAX = 100;

/**
 * The platform-neutral half of every interaction: finds the command, checks organizer rights, validates input,
 * runs it, and turns every failure into an answer the user can act on. Nothing a command throws reaches an
 * adapter: bad input becomes an ephemeral explanation, anything unexpected is logged, reported to the
 * organizers, and answered politely.
 */
export function createDispatcher(commands: Map<string, CommandDefinition>, services: CommandServices, log: Logger): Dispatcher {
  const context = (input: CommandInput, caller: Caller): CommandContext => ({ input, caller, services, commands });

  /** Runs one interaction with the shared error handling and metrics; `what` describes it for logs and reports. */
  async function guard<T>(
    caller: Caller,
    command: string,
    what: string,
    work: (mark: (o: Outcome) => void) => Promise<T> | T,
    onArgumentError: (e: ArgumentError) => T,
    onFailure: () => T,
  ): Promise<T> {
    let outcome: Outcome = 'ok';
    try {
      return await work((o) => (outcome = o));
    } catch (error) {
      if (error instanceof ArgumentError) {
        outcome = 'invalid';
        return onArgumentError(error);
      }
      outcome = 'error';
      log.error({ err: error, command, what, platform: caller.platform, user: caller.id }, 'command failed');
      // Not awaited: the user's answer must not wait for a report that may be retrying against a slow platform.
      void reportFailure(services, log, caller, what, error);
      return onFailure();
    } finally {
      countCommand(caller, command, outcome);
    }
  }

  /** The command behind a button or form, or why it will not run (counted either way). */
  function handlerOf(name: string, caller: Caller, handles: (command: CommandDefinition) => boolean, gone: string): CommandDefinition | { refusal: string } {
    const command = commands.get(name);
    if (!command || !handles(command)) {
      countCommand(caller, 'unknown', 'unknown');
      return { refusal: gone };
    }
    if (command.organizerOnly && !caller.isOrganizer) {
      countCommand(caller, name, 'refused');
      return { refusal: `/${name} is for organizers only.` };
    }
    return command;
  }

  async function execute(name: string, caller: Caller, what: string, toInput: (command: CommandDefinition) => CommandInput): Promise<CommandReply> {
    const command = commands.get(name);
    if (!command) {
      countCommand(caller, 'unknown', 'unknown');
      return reply(`Unknown command /${name}. Try /help`);
    }
    return guard(
      caller,
      name,
      what,
      (mark) => {
        // A command that is wholly the organizers' is refused before its input is read: members learn nothing
        // about its syntax from the error messages.
        const input = command.organizerOnly && !caller.isOrganizer ? { options: {} } : toInput(command);
        const refusal = organizerRefusal(command, input.subcommand, caller);
        if (refusal) {
          mark('refused');
          return reply(refusal);
        }
        return command.run(context(input, caller));
      },
      (e) => reply(e.message),
      () => reply(SOMETHING_WENT_WRONG),
    );
  }

  return {
    runText: (name, text, caller) => execute(name, caller, `/${name} ${text}`.trim(), (command) => parseCommandText(command, text)),

    run: (name, input, caller) => execute(name, caller, `/${name}${input.subcommand ? ' ' + input.subcommand : ''}`, (command) => checkInput(command, input)),

    autocomplete(name, option, typed, caller) {
      const command = commands.get(name);
      if (!command?.autocomplete || (command.organizerOnly && !caller.isOrganizer)) return [];
      try {
        // Discord's limits on the choices (count, lengths) are applied where they are rendered (renderChoices).
        return command.autocomplete(context({ options: {} }, caller), option, typed.slice(0, TYPED_MAX));
      } catch (error) {
        // Suggestions are a convenience: an empty list is a fine answer, and the command itself will explain.
        log.warn({ err: error, command: name, option }, 'autocomplete failed');
        return [];
      }
    },

    async button(actionId, caller) {
      const [name, action, arg] = splitId(actionId, 3);
      const command = handlerOf(name, caller, (c) => c.onButton !== undefined, 'That button no longer does anything. Try /help for what the bot can do.');
      if ('refusal' in command) return reply(command.refusal);
      return guard(
        caller,
        name,
        `button ${actionId}`,
        () => command.onButton!(context({ options: {} }, caller), action, arg),
        (e) => reply(e.message),
        () => reply(SOMETHING_WENT_WRONG),
      );
    },

    async modalSubmit(modalId, values, caller) {
      const [name, purpose] = splitId(modalId, 2);
      const command = handlerOf(name, caller, (c) => c.onModalSubmit !== undefined, 'This form is no longer in use. Try /help for what the bot can do.');
      if ('refusal' in command) return ephemeral(command.refusal);
      return guard<ModalOutcome>(
        caller,
        name,
        `form ${modalId}`,
        () => command.onModalSubmit!(context({ options: {} }, caller), { purpose, values }),
        (e) => {
          const errors = fieldErrorsOf(e, values);
          return errors ? { errors } : ephemeral(e.message);
        },
        () => ephemeral(SOMETHING_WENT_WRONG),
      );
    },
  };
}

function reply(text: string): CommandReply {
  return { message: ephemeral(text) };
}

function ephemeral(text: string): MessageModel {
  return message({ intro: [text], ephemeral: true });
}

/** "agenda:abstracts:sre-2024" → ["agenda", "abstracts", "sre-2024"]; the last part keeps any further colons. */
function splitId(id: string, parts: number): string[] {
  const pieces = id.split(':');
  const head = pieces.slice(0, parts - 1);
  const tail = pieces.slice(parts - 1).join(':');
  return [...head, tail, ...Array<string>(parts).fill('')].slice(0, parts);
}

function countCommand(caller: Caller, command: string, outcome: Outcome): void {
  commandsTotal.inc({ platform: caller.platform, command, outcome });
}
