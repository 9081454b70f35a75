import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { loadCommands } from '../../src/commands/registry';
import type { CommandDefinition } from '../../src/commands/definition';
import { usageHint } from '../../src/commands/usage';
import { SLACK_BOT_SCOPES } from '../../src/chat/slack/manifest';

/** One entry of `features.slash_commands` in the Slack app manifest. */
interface ManifestSlashCommand {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
}

/** Slack's limits for slash command texts in a manifest. */
const DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/**
 * What manifest.yml must declare for the loaded commands: the tests below compare the two, so adding a command
 * file without declaring it to Slack fails the build.
 */
function manifestSlashCommands(commands: Iterable<CommandDefinition>): ManifestSlashCommand[] {
  return [...commands].map((c) => {
    const hint = usageHint(c).slice(0, USAGE_HINT_MAX);
    return {
      command: `/${c.name}`,
      description: c.description.slice(0, DESCRIPTION_MAX),
      ...(hint ? { usage_hint: hint } : {}),
      // Raw text as typed: commands treat it as plain data, and the renderer escapes it.
      should_escape: false,
    };
  });
}

const MANIFEST = path.resolve(__dirname, '..', '..', 'manifest.yml');
const EVENTS_URL = 'https://YOUR-HOST/slack/events';

interface Manifest {
  features: { bot_user: { display_name: string }; slash_commands: { command: string; url: string; description: string; usage_hint?: string; should_escape: boolean }[] };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean; event_subscriptions?: unknown };
}

const manifest = parse(readFileSync(MANIFEST, 'utf8')) as Manifest;

describe('manifest.yml (Slack app manifest)', () => {
  it('declares exactly the loaded commands, with their descriptions and usage hints', () => {
    const expected = manifestSlashCommands(loadCommands().values()).map((c) => ({ ...c, url: EVENTS_URL }));
    const declared = manifest.features.slash_commands;
    const hint = `manifest.yml is out of step with commands/. features.slash_commands should be:\n${stringify(expected)}`;
    expect({ hint, commands: [...declared].sort(byCommand) }).toEqual({ hint, commands: [...expected].sort(byCommand) });
  });

  it('catches a command file that manifest.yml does not declare', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sremuc-commands-'));
    try {
      const definition = path.resolve(__dirname, '..', '..', 'src', 'commands', 'definition');
      writeFileSync(
        path.join(dir, 'venues.ts'),
        `import { defineCommand } from ${JSON.stringify(definition)};\n` +
          `export default defineCommand({ name: 'venues', description: 'Where we met', options: [{ name: 'city', description: 'City', type: 'string', required: true }], run: () => ({ message: { sections: [], fields: [], links: [], buttons: [] } }) });\n`,
      );
      const withNewFile = manifestSlashCommands(loadCommands(dir).values());
      expect(withNewFile).toEqual([{ command: '/venues', description: 'Where we met', usage_hint: '<city>', should_escape: false }]);
      expect(manifest.features.slash_commands.map((c) => c.command)).not.toContain('/venues');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks for the scopes the adapter uses, and no more', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      // im:write, im:history, files:write: RSVP direct messages (conversations.open, their history after a crash) and CSV exports.
      ['channels:history', 'chat:write', 'chat:write.public', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write', 'usergroups:read'].sort(),
    );
    // What an OAuth install asks for is what the manifest declares.
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it('lists the OAuth redirect URL and subscribes to the events that remove an installation', () => {
    expect(manifest.oauth_config.redirect_urls).toEqual(['https://YOUR-HOST/slack/oauth_redirect']);
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: EVENTS_URL, bot_events: ['app_uninstalled', 'tokens_revoked'] });
  });

  it('routes slash commands and interactivity (buttons, the CfP modal) to Bolt’s /slack/events', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: EVENTS_URL });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});

function byCommand(a: { command: string }, b: { command: string }): number {
  return a.command.localeCompare(b.command);
}
