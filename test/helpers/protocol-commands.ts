import { message } from '../../src/chat/message';
import { defineCommand, type CommandContext, type CommandDefinition, type CommandOption } from '../../src/commands/definition';

/**
 * Commands the protocol tests (dispatcher, Slack, Discord) share: how each platform handles a command that fails
 * and one with an organizer-only subcommand. The real commands are tested in test/commands.
 */

/** Fails unexpectedly, in its run and in its completions: the member gets a polite answer, the organizers a report. */
export const brokenCommand: CommandDefinition = defineCommand({
  name: 'broken',
  description: 'Fails unexpectedly',
  options: [],
  run: () => {
    throw new Error('database is locked');
  },
  autocomplete: () => {
    throw new Error('index gone');
  },
});

/**
 * `/admin status` for anyone, `/admin purge` for organizers only; answers privately with "<subcommand> by <name>".
 * `purgeOptions` lets a test give purge a required option; `onRun` records what reached the command.
 */
export function adminCommand(options: { purgeOptions?: CommandOption[]; onRun?: (ctx: CommandContext) => void } = {}): CommandDefinition {
  return defineCommand({
    name: 'admin',
    description: 'Organizer tools',
    options: [],
    subcommands: [
      { name: 'status', description: 'Anyone may look', options: [] },
      { name: 'purge', description: 'Organizers only', options: options.purgeOptions ?? [], organizerOnly: true },
    ],
    run: (ctx) => {
      options.onRun?.(ctx);
      return { message: message({ intro: [`${ctx.input.subcommand ?? 'none'} by ${ctx.caller.name}`], ephemeral: true }) };
    },
  });
}
