import { ArgumentError, type Caller, type CommandDefinition, type CommandInput, type CommandOption } from '../commands/definition';

/** Why a member may not run this command or subcommand, or undefined when they may. */
export function organizerRefusal(command: CommandDefinition, subcommand: string | undefined, caller: Caller): string | undefined {
  if (caller.isOrganizer) return undefined;
  const sub = command.subcommands?.find((s) => s.name === subcommand);
  if (command.organizerOnly) return `/${command.name} is for organizers only.`;
  if (sub?.organizerOnly) return `/${command.name} ${sub.name} is for organizers only.`;
  return undefined;
}

/**
 * Options from Discord are typed and size-checked by Discord, but the request could come from anything that
 * signs correctly: check them as strictly as the free-text path does.
 */
export function checkInput(command: CommandDefinition, input: CommandInput): CommandInput {
  let options: CommandOption[] = command.options;
  if (input.subcommand !== undefined) {
    const sub = command.subcommands?.find((s) => s.name === input.subcommand);
    if (!sub) throw new ArgumentError(`Unknown subcommand "${input.subcommand}" for /${command.name}.`);
    options = sub.options;
  }
  const values: CommandInput['options'] = {};
  for (const option of options) {
    const value = input.options[option.name];
    if (value === undefined || value === '') {
      if (option.required) throw new ArgumentError(`/${command.name} needs ${option.name}: ${option.description}`);
      continue;
    }
    values[option.name] = checkValue(command.name, option, value);
  }
  const unknown = Object.keys(input.options).filter((key) => !options.some((o) => o.name === key));
  if (unknown.length > 0) throw new ArgumentError(`/${command.name} does not take ${unknown.join(', ')}.`);
  return { subcommand: input.subcommand, options: values };
}

function checkValue(commandName: string, option: CommandOption, value: string | number | boolean): string | number | boolean {
  const expected = option.type === 'integer' ? 'number' : option.type;
  if (typeof value !== expected || (option.type === 'integer' && !Number.isInteger(value))) {
    throw new ArgumentError(`${option.name} for /${commandName} must be ${option.type === 'integer' ? 'a whole number' : option.type === 'boolean' ? 'yes or no' : 'text'}.`);
  }
  if (typeof value === 'string' && option.maxLength !== undefined && value.length > option.maxLength) {
    throw new ArgumentError(`${option.name} is too long for /${commandName}: at most ${option.maxLength} characters, got ${value.length}.`);
  }
  return value;
}
