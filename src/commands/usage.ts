import type { CommandDefinition, CommandOption } from './definition';

/**
 * How a command is typed as free text (Slack, console): "[event]", "[submit | list]", "<when> <text>". Slack
 * shows it while typing (the manifest's usage_hint) and /help shows it on those platforms.
 */
export function usageHint(command: CommandDefinition): string {
  const parts: string[] = [];
  if (command.subcommands?.length) {
    const subs = command.subcommands.map((s) => [s.name, ...s.options.map(optionHint)].join(' '));
    parts.push(`[${subs.join(' | ')}]`);
  }
  parts.push(...command.options.map(optionHint));
  return parts.join(' ');
}

function optionHint(option: CommandOption): string {
  return option.required ? `<${option.name}>` : `[${option.name}]`;
}
