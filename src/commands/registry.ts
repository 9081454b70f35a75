import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ArgumentError, type CommandDefinition, type CommandInput, type CommandOption } from './definition';

/**
 * The top-level commands/ folder: one file per slash command. Relative to this file, so it is the .ts sources
 * under jest and their compiled .js in dist/ when the bot runs (dist/src/commands -> dist/commands).
 */
export const COMMANDS_DIR = path.resolve(__dirname, '..', '..', 'commands');

/**
 * Loads every command file in commands/ (the discord.js guide's command-handler pattern): adding a command
 * means adding a file, nothing else. Files starting with "_" are shared helpers, not commands.
 */
export function loadCommands(dir: string = COMMANDS_DIR): Map<string, CommandDefinition> {
  const commands = new Map<string, CommandDefinition>();
  const sources = sourcesOf(dir);
  for (const file of readdirSync(dir).sort()) {
    if (!/\.(ts|js)$/.test(file) || file.endsWith('.d.ts') || file.startsWith('_')) continue;
    // tsc never deletes outputs: a command removed from commands/ must not live on from an old build.
    if (sources && file.endsWith('.js') && !sources.has(file.replace(/\.js$/, '.ts'))) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as { default?: CommandDefinition };
    const command = mod.default;
    if (!command || typeof command.run !== 'function') {
      throw new Error(`commands/${file} must default-export a command definition (defineCommand({...}))`);
    }
    if (commands.has(command.name)) throw new Error(`commands/${file}: duplicate command name "${command.name}"`);
    commands.set(command.name, command);
  }
  return commands;
}

/**
 * For a compiled folder (dist/commands), the .ts files of the source folder it was built from
 * (<project>/commands); undefined when there is none to compare with (the folder holds sources, or only dist/
 * was deployed).
 */
function sourcesOf(dir: string): Set<string> | undefined {
  const parts = path.resolve(dir).split(path.sep);
  const at = parts.lastIndexOf('dist');
  if (at < 0) return undefined;
  const source = [...parts.slice(0, at), ...parts.slice(at + 1)].join(path.sep);
  return existsSync(source) ? new Set(readdirSync(source).filter((f) => f.endsWith('.ts'))) : undefined;
}

/**
 * Turns free text after a slash command (Slack, console) into the same input Discord delivers as options:
 * a leading word naming a subcommand selects it; the remaining words fill options in order, and an option
 * marked `rest` (or the last string option) takes the rest of the line.
 */
export function parseCommandText(command: CommandDefinition, text: string): CommandInput {
  let words = text.trim().split(/\s+/).filter(Boolean);
  let options: CommandOption[] = command.options;
  let subcommand: string | undefined;
  const sub = command.subcommands?.find((s) => s.name === words[0]?.toLowerCase());
  const fallback = command.subcommands?.find((s) => s.name === command.defaultSubcommand);
  if (sub) {
    subcommand = sub.name;
    options = sub.options;
    words = words.slice(1);
  } else if (fallback) {
    subcommand = fallback.name;
    options = fallback.options;
  } else if (command.subcommands?.length && command.options.length === 0 && words.length > 0) {
    const names = command.subcommands.map((s) => s.name).join(', ');
    throw new ArgumentError(`Unknown subcommand "${words[0]}" for /${command.name}. Try one of: ${names}.`);
  }

  const values: CommandInput['options'] = {};
  options.forEach((option, i) => {
    const takesRest = option.rest || (option.type === 'string' && i === options.length - 1);
    const raw = takesRest ? words.join(' ') : words.shift();
    if (takesRest) words = [];
    if (raw === undefined || raw === '') {
      if (option.required) throw new ArgumentError(`/${command.name}${subcommand ? ' ' + subcommand : ''} needs ${option.name}: ${option.description}`);
      return;
    }
    values[option.name] = convert(command.name, option, raw);
  });
  if (words.length > 0) throw new ArgumentError(`/${command.name} got more than it takes: "${words.join(' ')}"`);
  return { subcommand, options: values };
}

function convert(commandName: string, option: CommandOption, raw: string): string | number | boolean {
  if (option.maxLength !== undefined && raw.length > option.maxLength) {
    throw new ArgumentError(`${option.name} is too long for /${commandName}: at most ${option.maxLength} characters, got ${raw.length}.`);
  }
  if (option.type === 'integer') {
    if (!/^-?\d+$/.test(raw)) throw new ArgumentError(`${option.name} must be a whole number, got "${raw}".`);
    return Number(raw);
  }
  if (option.type === 'boolean') {
    if (/^(yes|true|on|1)$/i.test(raw)) return true;
    if (/^(no|false|off|0)$/i.test(raw)) return false;
    throw new ArgumentError(`${option.name} must be yes or no, got "${raw}".`);
  }
  return raw;
}
