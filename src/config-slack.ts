import type { Env } from './config-env';
import { parseKey } from './store/secret-box';

/** Where Slack sends the member back after Allow (the app's Redirect URL, under OAuth & Permissions). */
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';
/** The page that starts an installation: it sends the browser straight on to Slack's authorize page. */
export const SLACK_INSTALL_PATH = '/slack/install';

/**
 * A distributed Slack app: any workspace installs it through Slack's OAuth flow, and each installation's bot token
 * is kept (sealed with SLACK_TOKEN_ENCRYPTION_KEY) in the bot's database until the workspace removes the app.
 */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` so a redirect the bot did not start is refused (any replica can check it). */
  stateSecret: string;
  /** 32 bytes (hex or base64) that seal the installations' tokens in the database. */
  encryptionKey: string;
  /** PUBLIC_URL + /slack/oauth_redirect: what the app's settings must list as a Redirect URL. */
  redirectUri: string;
}

export interface SlackConfig {
  /** The one workspace's bot token (SLACK_BOT_TOKEN); undefined with OAuth, where each workspace has its own. */
  botToken?: string;
  /** Set with SLACK_CLIENT_ID: workspaces install the app themselves, tokens come from the installation store. */
  oauth?: SlackOAuthConfig;
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  /** A port of Slack's own; undefined serves /slack/events on the bot's HTTP server. */
  port?: number;
  apiUrl?: string;
  /** Channel ids; with OAuth and several workspaces, `T…/C…` says which workspace a channel is in. */
  announceChannels: string[];
  organizersChannel?: string;
  organizerUserIds: string[];
  /** With OAuth, `T…/S…`: a user group belongs to one workspace. */
  organizerUsergroup?: string;
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY'] as const;

/**
 * Slack's part of the environment: off, one workspace with SLACK_BOT_TOKEN, or installable into many with
 * SLACK_CLIENT_ID (and its secret, state secret and token encryption key). The two set-ups exclude each other.
 */
export function slackConfig(e: Env, publicUrl: string, problems: string[]): SlackConfig | undefined {
  const need = (name: keyof Env, why: string) => {
    if (!e[name]) problems.push(`${name}: required ${why}`);
  };
  const common = {
    mode: e.SLACK_MODE,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    port: e.SLACK_PORT,
    apiUrl: e.SLACK_API_URL,
    announceChannels: e.SLACK_ANNOUNCE_CHANNELS,
    organizersChannel: e.SLACK_ORGANIZERS_CHANNEL,
    organizerUserIds: e.SLACK_ORGANIZER_USER_IDS,
    organizerUsergroup: e.SLACK_ORGANIZER_USERGROUP,
  };
  if (e.SLACK_CLIENT_ID) {
    if (e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: leave it unset with SLACK_CLIENT_ID (each workspace that installs the app gets its own token); set one or the other');
    if (e.SLACK_MODE !== 'http') problems.push('SLACK_MODE: must be http with SLACK_CLIENT_ID (the install flow and Slack\'s requests arrive over HTTP)');
    need('SLACK_SIGNING_SECRET', 'when SLACK_CLIENT_ID is set');
    for (const name of OAUTH_VARIABLES) need(name, 'when SLACK_CLIENT_ID is set');
    if (e.SLACK_TOKEN_ENCRYPTION_KEY) {
      try {
        parseKey(e.SLACK_TOKEN_ENCRYPTION_KEY);
      } catch (error) {
        problems.push(`SLACK_TOKEN_ENCRYPTION_KEY: ${(error as Error).message}`);
      }
    }
    if (e.SLACK_ORGANIZER_USERGROUP && !/^[^/]+\/[^/]+$/.test(e.SLACK_ORGANIZER_USERGROUP)) {
      problems.push('SLACK_ORGANIZER_USERGROUP: with SLACK_CLIENT_ID write it as <team id>/<group id> (e.g. T0123/S0456): a user group belongs to one workspace');
    }
    return {
      ...common,
      oauth: {
        clientId: e.SLACK_CLIENT_ID,
        clientSecret: e.SLACK_CLIENT_SECRET ?? '',
        stateSecret: e.SLACK_STATE_SECRET ?? '',
        encryptionKey: e.SLACK_TOKEN_ENCRYPTION_KEY ?? '',
        redirectUri: `${publicUrl}${SLACK_REDIRECT_PATH}`,
      },
    };
  }
  for (const name of OAUTH_VARIABLES) if (e[name]) problems.push(`SLACK_CLIENT_ID: required when ${name} is set (installing the app into workspaces needs the app's client id)`);
  if (e.SLACK_BOT_TOKEN) {
    if (e.SLACK_MODE === 'http') need('SLACK_SIGNING_SECRET', 'when SLACK_BOT_TOKEN is set and SLACK_MODE=http');
    else need('SLACK_APP_TOKEN', 'when SLACK_MODE=socket');
    return { ...common, botToken: e.SLACK_BOT_TOKEN };
  }
  if (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) problems.push('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set (or SLACK_CLIENT_ID, to install into workspaces)');
  return undefined;
}
