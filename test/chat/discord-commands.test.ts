import { PassThrough } from 'node:stream';
import { REST } from 'discord.js';
import { defineCommand, type CommandDefinition } from '../../src/commands/definition';
import { loadCommands } from '../../src/commands/registry';
import { message } from '../../src/chat/message';
import { toApplicationCommand, toApplicationCommands } from '../../src/chat/discord/commands';
import { deployCommands } from '../../src/cli/deploy-commands';
import type { DiscordConfig } from '../../src/config';
import { FakeDiscord, validateCommand } from '../fakes/discord';

const run = () => ({ message: message({ intro: ['ok'] }) });

const agenda = defineCommand({
  name: 'agenda',
  description: 'The agenda of a meetup',
  options: [
    { name: 'event', description: 'next, last, a date or words from the title', type: 'string', autocomplete: true, maxLength: 100 },
    { name: 'abstracts', description: 'Show the talk abstracts', type: 'boolean' },
    { name: 'format', description: 'How to show it', type: 'string', required: true },
  ],
  run,
});

const announce = defineCommand({
  name: 'announce',
  description: 'Organizers: schedule and manage announcements',
  organizerOnly: true,
  options: [],
  subcommands: [
    { name: 'schedule', description: 'Schedule a post', options: [{ name: 'when', description: 'e.g. 2026-12-01T18:00', type: 'string', required: true }, { name: 'text', description: 'What to say', type: 'string', required: true, maxLength: 9000 }] },
    { name: 'cancel', description: 'Cancel a post', options: [{ name: 'id', description: 'Post id', type: 'integer', required: true }] },
  ],
  run,
});

describe('CommandDefinition → Discord application command', () => {
  it('maps options with types, required first, max_length and autocomplete', () => {
    expect(toApplicationCommand(agenda)).toEqual({
      type: 1,
      name: 'agenda',
      description: 'The agenda of a meetup',
      default_member_permissions: null,
      options: [
        { type: 3, name: 'format', description: 'How to show it', required: true },
        { type: 3, name: 'event', description: 'next, last, a date or words from the title', required: false, max_length: 100, autocomplete: true },
        { type: 5, name: 'abstracts', description: 'Show the talk abstracts', required: false },
      ],
    });
  });

  it('maps subcommands to type 1 and organizer-only commands to the Manage Events permission', () => {
    const json = toApplicationCommand(announce);
    expect(json.default_member_permissions).toBe(String(1n << 33n));
    expect(json.options).toEqual([
      {
        type: 1,
        name: 'schedule',
        description: 'Schedule a post',
        options: [
          { type: 3, name: 'when', description: 'e.g. 2026-12-01T18:00', required: true },
          // Discord caps string options at 6000 characters.
          { type: 3, name: 'text', description: 'What to say', required: true, max_length: 6000 },
        ],
      },
      { type: 1, name: 'cancel', description: 'Cancel a post', options: [{ type: 4, name: 'id', description: 'Post id', required: true }] },
    ]);
    expect(validateCommand(json as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('refuses what Discord would refuse, naming the command', () => {
    expect(() => toApplicationCommand({ ...agenda, name: 'Agenda' })).toThrow('/Agenda: "Agenda" is not a valid Discord name');
    expect(() => toApplicationCommand({ ...announce, options: agenda.options })).toThrow('/announce: Discord cannot mix subcommands and options');
  });

  it('shortens descriptions to Discord’s 100 characters', () => {
    const json = toApplicationCommand({ ...agenda, description: 'd'.repeat(150) });
    expect(json.description).toHaveLength(100);
    expect(json.description.endsWith('…')).toBe(true);
  });

  it('every command in commands/ converts to a command Discord accepts', () => {
    const commands = loadCommands();
    expect(commands.size).toBeGreaterThan(0);
    for (const json of toApplicationCommands(commands.values())) {
      expect({ name: json.name, problems: validateCommand(json as unknown as Record<string, unknown>) }).toEqual({ name: json.name, problems: [] });
    }
  });
});

describe('npm run deploy-commands against the fake Discord', () => {
  let discord: FakeDiscord;
  const config = (overrides: Partial<DiscordConfig> = {}): DiscordConfig => ({
    token: discord.token,
    applicationId: discord.applicationId,
    guildId: discord.guildId,
    apiUrl: discord.apiUrl,
    announceChannels: [],
    syncScheduledEvents: false,
    ...overrides,
  });
  const commands = new Map<string, CommandDefinition>([
    ['agenda', agenda],
    ['announce', announce],
  ]);
  const output = () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { out, text: () => text };
  };

  beforeEach(async () => {
    discord = await FakeDiscord.start();
  });
  afterEach(() => discord.close());

  it('bulk-overwrites the guild commands with the definitions and prints what it registered', async () => {
    const { out, text } = output();
    const result = await deployCommands({ discord: config(), commands, out });

    const [put] = discord.requestsTo('PUT', /^\/applications\/\d+\/guilds\/\d+\/commands$/);
    expect(put).toMatchObject({ status: 200, authorized: true, path: `/applications/${discord.applicationId}/guilds/${discord.guildId}/commands` });
    expect(put?.body).toEqual(toApplicationCommands(commands.values()));
    expect(discord.registeredCommands(discord.guildId).map((c) => c.name)).toEqual(['agenda', 'announce']);
    expect(result).toEqual({ scope: 'guild', guildId: discord.guildId, registered: discord.registeredCommands(discord.guildId).map((c) => ({ name: c.name, id: c.id })) });
    expect(text()).toBe(`Registered 2 commands in guild ${discord.guildId}:\n  /agenda\n  /announce (schedule, cancel) [organizers: Manage Events]\n`);
  });

  it('registers globally without a guild id; a second deploy replaces the set and keeps ids', async () => {
    await deployCommands({ discord: config({ guildId: undefined }), commands, out: output().out });
    const firstIds = discord.registeredCommands().map((c) => c.id);
    await deployCommands({ discord: config({ guildId: undefined }), commands: new Map([['agenda', agenda]]), out: output().out });
    expect(discord.requestsTo('PUT', /^\/applications\/\d+\/commands$/)).toHaveLength(2);
    expect(discord.registeredCommands().map((c) => c.id)).toEqual([firstIds[0]]);
    expect(discord.registeredCommands(discord.guildId)).toEqual([]);
  });

  it('--dry-run prints the payload and sends nothing', async () => {
    const { out, text } = output();
    await deployCommands({ discord: config(), commands, out, dryRun: true });
    expect(JSON.parse(text())).toEqual(toApplicationCommands(commands.values()));
    expect(discord.requests).toHaveLength(0);
  });

  it('a rejected token surfaces as Discord’s error, nothing registered', async () => {
    const rest = new REST({ version: '10', api: discord.apiUrl, retries: 0 }).setToken('wrong-token');
    await expect(deployCommands({ discord: config(), commands, out: output().out, rest })).rejects.toMatchObject({ status: 401 });
    expect(discord.registeredCommands(discord.guildId)).toEqual([]);
  });
});
