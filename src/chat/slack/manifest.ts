import type { CommandDefinition, CommandOption } from '../../commands/definition';

/** One entry of `features.slash_commands` in the Slack app manifest. */
export interface ManifestSlashCommand {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
}

/** Slack's limits for slash command texts in a manifest. */
const DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/**
 * What manifest.yml must declare for the loaded commands: the test in test/chat/slack-manifest.test.ts compares
 * the two, so adding a command file without declaring it to Slack fails the build.
 */
export function manifestSlashCommands(commands: Iterable<CommandDefinition>): ManifestSlashCommand[] {
  return [...commands].map((c) => {
    const hint = usageHint(c);
    return {
      command: `/${c.name}`,
      description: c.description.slice(0, DESCRIPTION_MAX),
      ...(hint ? { usage_hint: hint } : {}),
      // Raw text as typed: commands treat it as plain data, and the renderer escapes it.
      should_escape: false,
    };
  });
}

/** "[event]", "[submit | list]" …: what Slack shows while typing the command. */
export function usageHint(command: CommandDefinition): string {
  const parts: string[] = [];
  if (command.subcommands?.length) {
    const subs = command.subcommands.map((s) => [s.name, ...s.options.map(optionHint)].join(' '));
    parts.push(`[${subs.join(' | ')}]`);
  }
  parts.push(...command.options.map(optionHint));
  return parts.join(' ').slice(0, USAGE_HINT_MAX);
}

function optionHint(option: CommandOption): string {
  const name = option.choices?.length ? option.choices.map((c) => c.value).join('|') : option.name;
  return option.required ? `<${name}>` : `[${name}]`;
}
