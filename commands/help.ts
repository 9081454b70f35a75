import { code, message, type RichText } from '../src/chat/message';
import { linesToSections } from '../src/chat/present/fit';
import { ArgumentError, defineCommand, type Caller, type CommandDefinition, type CommandOption } from '../src/commands/definition';
import { usageHint } from '../src/commands/usage';

export default defineCommand({
  name: 'help',
  description: 'What the bot can do, and how to use a command',
  usage: '/help: every command. /help agenda: how to use /agenda.',
  options: [{ name: 'command', description: 'A command to explain, e.g. agenda', type: 'string', maxLength: 40, autocomplete: true }],

  run({ input, caller, commands }) {
    const name = String(input.options.command ?? '')
      .trim()
      .replace(/^\//, '')
      .toLowerCase();
    if (name === '') return { message: overview(commands, caller) };
    const command = commands.get(name);
    if (!command) throw new ArgumentError(`There is no /${name}. Commands: ${visible(commands, caller).map((c) => `/${c.name}`).join(', ')}.`);
    return { message: detail(command, caller) };
  },

  autocomplete({ caller, commands }, option, typed) {
    if (option !== 'command') return [];
    const prefix = typed.trim().replace(/^\//, '').toLowerCase();
    return visible(commands, caller)
      .filter((c) => c.name.startsWith(prefix))
      .map((c) => ({ name: `/${c.name}: ${c.description}`, value: c.name }));
  },
});

function visible(commands: ReadonlyMap<string, CommandDefinition>, caller: Caller): CommandDefinition[] {
  return [...commands.values()].filter((c) => caller.isOrganizer || !c.organizerOnly);
}

function overview(commands: ReadonlyMap<string, CommandDefinition>, caller: Caller) {
  const lines = visible(commands, caller).map((c): RichText => [code(syntax(c, caller)), ` ${c.description}`]);
  return message({
    title: 'What I can do',
    sections: linesToSections(undefined, lines),
    footer: ['/help <command> explains one, e.g. /help agenda'],
    ephemeral: true,
  });
}

function detail(command: CommandDefinition, caller: Caller) {
  const subcommands = (command.subcommands ?? []).filter((s) => caller.isOrganizer || !s.organizerOnly);
  const subLines = subcommands.map((s): RichText => [code(`/${command.name} ${s.name}${optionsSyntax(s.options, caller)}`), ` ${s.description}${s.organizerOnly ? ' (organizers only)' : ''}`]);
  const optionLines = command.options.map((o): RichText => [code(o.name), ` ${o.description}${o.required ? '' : ' (optional)'}`]);
  return message({
    title: `/${command.name}${command.organizerOnly ? ' (organizers only)' : ''}`,
    intro: [command.description],
    sections: [
      ...(command.usage ? [{ heading: 'Usage', body: [command.usage] }] : []),
      ...(subLines.length > 0 ? linesToSections('Subcommands', subLines) : []),
      ...(optionLines.length > 0 ? linesToSections('Options', optionLines) : []),
    ],
    footer: [code(syntax(command, caller))],
    ephemeral: true,
  });
}

/** How the command is typed where the caller is: free text on Slack and the console, named options on Discord. */
function syntax(command: CommandDefinition, caller: Caller): string {
  if (caller.platform !== 'discord') return `/${command.name} ${usageHint(command)}`.trim();
  const subcommands = (command.subcommands ?? []).filter((s) => caller.isOrganizer || !s.organizerOnly).map((s) => s.name);
  return `/${command.name}${subcommands.length > 0 ? ' ' + subcommands.join('|') : ''}${optionsSyntax(command.options, caller)}`;
}

function optionsSyntax(options: CommandOption[], caller: Caller): string {
  if (caller.platform !== 'discord') return options.map((o) => (o.required ? ` <${o.name}>` : ` [${o.name}]`)).join('');
  return options.map((o) => (o.required ? ` ${o.name}:` : ` [${o.name}:]`)).join('');
}
