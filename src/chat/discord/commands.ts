import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
} from 'discord.js';
import type { CommandDefinition, CommandOption, OptionType } from '../../commands/definition';

export type ApplicationCommandJSON = RESTPostAPIChatInputApplicationCommandsJSONBody;

const OPTION_TYPES: Record<OptionType, ApplicationCommandOptionType.String | ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Boolean> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
};

/** Discord's limits for application commands. */
const LIMITS = { description: 100, options: 25, maxLength: 6000 } as const;
const NAME_PATTERN = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Members with Manage Events see organizer-only commands; server admins can widen that per command in Discord. */
export const ORGANIZER_PERMISSIONS = PermissionFlagsBits.ManageEvents.toString();

export class CommandDefinitionError extends Error {
  override name = 'CommandDefinitionError';
}

/**
 * A command definition as a Discord chat input command. Organizer-only commands are hidden from members
 * without Manage Events (default_member_permissions); subcommands that are organizer-only cannot be hidden one by
 * one on Discord, so the dispatcher refuses them instead. Throws CommandDefinitionError for what Discord would
 * refuse, naming the command, so `npm run deploy-commands` fails before sending anything.
 */
export function toApplicationCommand(command: CommandDefinition): ApplicationCommandJSON {
  checkName(command.name, `/${command.name}`);
  const subcommands = command.subcommands ?? [];
  if (subcommands.length > 0 && command.options.length > 0) {
    throw new CommandDefinitionError(`/${command.name}: Discord cannot mix subcommands and options; move the options into a subcommand`);
  }
  const options =
    subcommands.length > 0
      ? subcommands.map((sub): APIApplicationCommandSubcommandOption => {
          checkName(sub.name, `/${command.name} ${sub.name}`);
          return { type: ApplicationCommandOptionType.Subcommand, name: sub.name, description: describe(sub.description, sub.name), options: toOptions(sub.options, `/${command.name} ${sub.name}`) };
        })
      : toOptions(command.options, `/${command.name}`);
  if (options.length > LIMITS.options) throw new CommandDefinitionError(`/${command.name}: Discord allows at most ${LIMITS.options} options`);
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: describe(command.description, command.name),
    options,
    default_member_permissions: command.organizerOnly ? ORGANIZER_PERMISSIONS : null,
  };
}

export function toApplicationCommands(commands: Iterable<CommandDefinition>): ApplicationCommandJSON[] {
  return [...commands].map(toApplicationCommand);
}

/** Discord wants required options before optional ones; the values arrive by name, so reordering is safe. */
function toOptions(options: CommandOption[], where: string): APIApplicationCommandBasicOption[] {
  const ordered = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
  return ordered.map((o) => {
    checkName(o.name, `${where} ${o.name}`);
    const base = { name: o.name, description: describe(o.description, o.name), required: o.required ?? false };
    if (o.type !== 'string') return { ...base, type: OPTION_TYPES[o.type] } as APIApplicationCommandBasicOption;
    return {
      ...base,
      type: ApplicationCommandOptionType.String,
      ...(o.maxLength !== undefined ? { max_length: Math.min(Math.max(o.maxLength, 1), LIMITS.maxLength) } : {}),
      ...(o.autocomplete ? { autocomplete: true } : {}),
    } as APIApplicationCommandBasicOption;
  });
}

function checkName(name: string, where: string): void {
  if (!NAME_PATTERN.test(name)) throw new CommandDefinitionError(`${where}: "${name}" is not a valid Discord name (1-32 lowercase letters, digits, - or _)`);
}

function describe(description: string, name: string): string {
  const text = description.trim() || name;
  return text.length <= LIMITS.description ? text : text.slice(0, LIMITS.description - 1) + '…';
}
