import { HTTPReceiver, SocketModeReceiver, type InstallationStore, type Receiver, type webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config';
import { SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH } from '../../config-slack';
import { plain, type HttpRoutes } from '../../http/server';
import type { Logger } from '../../log';
import { lazyDatabase } from '../../store/db';
import { SeenRequests } from '../../store/seen-requests';
import type { boltLogger } from './logger';
import { guardRequests } from './request-guard';
import { SLACK_BOT_SCOPES } from './manifest';

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * How Slack reaches the bot: Socket Mode (an outgoing WebSocket opened with the app token), or Bolt's HTTP
 * receiver at /slack/events, with signatures checked, and replayed and future-dated signed requests refused, in front of it. Without
 * `seenRequests` the replay table lives in an in-memory database. With OAuth (`installations`), the same receiver
 * serves Bolt's install flow: GET /slack/install sends the browser straight to Slack's authorize page (a state
 * signed with SLACK_STATE_SECRET, also set as a cookie), and GET /slack/oauth_redirect checks that state against
 * the cookie, trades the code for the workspace's token (oauth.v2.access) and stores the installation.
 */
export function createReceiver(
  config: SlackConfig,
  logger: ReturnType<typeof boltLogger>,
  clientOptions: webApi.WebClientOptions,
  guard: { seenRequests?: SeenRequests; log: Logger; installations?: InstallationStore },
): Receiver {
  if (config.mode === 'socket') {
    return new SocketModeReceiver({ appToken: config.appToken ?? '', logger, installerOptions: { clientOptions } });
  }
  const oauth = config.oauth && guard.installations ? config.oauth : undefined;
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret ?? '',
    // guardRequests verifies every request to the events path (and refuses the rest) before Bolt sees it.
    signatureVerification: false,
    endpoints: SLACK_EVENTS_PATH,
    port: config.port,
    logger,
    ...(oauth && {
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      stateSecret: oauth.stateSecret,
      redirectUri: oauth.redirectUri,
      installationStore: guard.installations,
      scopes: [...SLACK_BOT_SCOPES],
      installerOptions: {
        installPath: SLACK_INSTALL_PATH,
        redirectUriPath: SLACK_REDIRECT_PATH,
        // No page of our own with an "Add to Slack" button: the install link goes straight to Slack.
        directInstall: true,
        authorizationUrl: authorizationUrl(config.apiUrl),
        clientOptions,
      },
    }),
  });
  const seen = guard.seenRequests ?? new SeenRequests(lazyDatabase(':memory:'));
  guardRequests(receiver, { signingSecret: config.signingSecret ?? '', endpoint: SLACK_EVENTS_PATH, seen, log: guard.log });
  return receiver;
}

/** Slack's authorize page next to its Web API (https://slack.com/oauth/v2/authorize; a test's fake otherwise). */
export function authorizationUrl(apiUrl: string | undefined): string {
  return new URL('../oauth/v2/authorize', apiUrl ?? 'https://slack.com/api/').toString();
}

/**
 * Bolt's own request listener at /slack/ (behind guardRequests at the events path): it reads the raw body and acks,
 * exactly as when Bolt runs its own server; with OAuth also the install and redirect pages. A path Bolt does not
 * serve is a plain 404.
 */
export function mountReceiver(http: HttpRoutes, receiver: HTTPReceiver): void {
  http.add({
    name: 'slack',
    path: '/slack/',
    prefix: true,
    // GET only for the install flow's two pages (Bolt serves them only when OAuth is configured).
    methods: receiver.installer ? ['POST', 'GET'] : ['POST'],
    handle(req, res) {
      try {
        receiver.requestListener(req, res);
      } catch {
        plain(res, 404, 'Not found.\n');
      }
    },
  });
}
