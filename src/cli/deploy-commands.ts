import { config as loadDotenv } from 'dotenv';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import type { Writable } from 'node:stream';
import { loadConfigOrExit, type DiscordConfig } from '../config';
import type { CommandDefinition } from '../commands/definition';
import { loadCommands } from '../commands/registry';
import { toApplicationCommands, type ApplicationCommandJSON } from '../chat/discord/commands';

export interface DeployOptions {
  discord: DiscordConfig;
  commands: Map<string, CommandDefinition>;
  out: Writable;
  /** Print the payload instead of sending it. */
  dryRun?: boolean;
  /** A REST client to use (tests); by default one for the configured token and API URL. */
  rest?: REST;
}

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId?: string;
  registered: { name: string; id: string }[];
}

/**
 * Registers every command in commands/ with Discord in one bulk overwrite: in the configured guild
 * (DISCORD_GUILD_ID, visible at once) or globally. Commands no longer defined disappear, which is what an
 * overwrite means. Definitions Discord would refuse fail here, before anything is sent.
 */
export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const { discord, out } = options;
  const body = toApplicationCommands(options.commands.values());
  const scope = discord.guildId ? 'guild' : 'global';
  const route = discord.guildId ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId) : Routes.applicationCommands(discord.applicationId);
  if (options.dryRun) {
    out.write(`${JSON.stringify(body, null, 2)}\n`);
    return { scope, guildId: discord.guildId, registered: [] };
  }
  const rest = options.rest ?? new REST({ version: '10', ...(discord.apiUrl ? { api: discord.apiUrl } : {}) }).setToken(discord.token);
  const answer = (await rest.put(route, { body })) as { id: string; name: string }[];
  const where = discord.guildId ? `in guild ${discord.guildId}` : 'globally (Discord may take a few minutes to show them everywhere)';
  out.write(`Registered ${answer.length} command${answer.length === 1 ? '' : 's'} ${where}:\n`);
  for (const command of body) out.write(`  ${describeCommand(command)}\n`);
  return { scope, guildId: discord.guildId, registered: answer.map((c) => ({ name: c.name, id: c.id })) };
}

function describeCommand(command: ApplicationCommandJSON): string {
  const subcommands = (command.options ?? []).filter((o) => o.type === 1).map((o) => o.name);
  const parts = [`/${command.name}`];
  if (subcommands.length) parts.push(`(${subcommands.join(', ')})`);
  if (command.default_member_permissions) parts.push('[organizers: Manage Events]');
  return parts.join(' ');
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const dryRun = process.argv.includes('--dry-run');
  const { discord } = loadConfigOrExit(process.env);
  if (!discord) {
    process.stderr.write('Invalid configuration:\n  DISCORD_TOKEN: required to register Discord commands (and DISCORD_APPLICATION_ID)\nSee .env.example for every variable.\n');
    process.exit(2);
  }
  try {
    await deployCommands({ discord, commands: loadCommands(), out: process.stdout, dryRun });
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      process.stderr.write(`Discord refused the commands (HTTP ${error.status}, code ${String(error.code)}): ${error.message}\n${JSON.stringify(error.rawError, null, 2)}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`deploy-commands failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
