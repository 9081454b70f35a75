import type { CommandDefinition } from '../../commands/definition';
import { usageHint } from '../../commands/usage';

/** One entry of `features.slash_commands` in the Slack app manifest. */
export interface ManifestSlashCommand {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
}

/**
 * The bot scopes the adapter uses (manifest.yml's oauth_config.scopes.bot; a test keeps the two equal), asked for
 * when a workspace installs the app through OAuth. im:write, im:history and files:write: RSVP direct messages
 * (conversations.open, their history after a crash) and CSV exports.
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'channels:history', 'groups:history', 'usergroups:read', 'im:write', 'im:history', 'files:write'] as const;

/** Slack's limits for slash command texts in a manifest. */
const DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/**
 * What manifest.yml must declare for the loaded commands: the test in test/chat/slack-manifest.test.ts compares
 * the two, so adding a command file without declaring it to Slack fails the build.
 */
export function manifestSlashCommands(commands: Iterable<CommandDefinition>): ManifestSlashCommand[] {
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
