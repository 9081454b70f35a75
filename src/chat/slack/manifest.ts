/**
 * The bot scopes the adapter uses (manifest.yml's oauth_config.scopes.bot; a test keeps the two equal), asked for
 * when a workspace installs the app through OAuth. im:write, im:history and files:write: RSVP direct messages
 * (conversations.open, their history after a crash) and CSV exports.
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'channels:history', 'groups:history', 'usergroups:read', 'im:write', 'im:history', 'files:write'] as const;
