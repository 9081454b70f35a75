import { Routes, type REST } from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../log';
import type { CommandDefinition } from '../../commands/definition';
import { toApplicationCommands } from './commands';

type CommandShape = { name: string; options?: { name: string; options?: { name: string }[] }[] };

/** Warns when Discord's registered commands differ from commands/: the fix is `npm run deploy-commands`. */
export async function checkRegisteredCommands(
  rest: REST,
  config: Pick<DiscordConfig, 'applicationId' | 'guildId'>,
  commands: Iterable<CommandDefinition>,
  log: Logger,
): Promise<void> {
  const { applicationId, guildId } = config;
  try {
    const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
    const registered = (await rest.get(route)) as CommandShape[];
    const expected = toApplicationCommands(commands);
    const want = new Set(expected.map((c) => shape(c as CommandShape)));
    const have = new Set(registered.map(shape));
    const missing = [...want].filter((s) => !have.has(s));
    const extra = [...have].filter((s) => !want.has(s));
    if (missing.length || extra.length) log.warn({ missing, extra }, 'Discord commands differ from commands/: run `npm run deploy-commands`');
  } catch (error) {
    log.warn({ err: error }, 'could not read the registered Discord commands');
  }
}

/** A command's name with its options' and subcommands' names, in an order-free form. */
function shape(c: CommandShape): string {
  return `${c.name}(${(c.options ?? []).map((o) => `${o.name}[${(o.options ?? []).map((s) => s.name).sort().join(',')}]`).sort().join(',')})`;
}
