import { HTTPReceiver, SocketModeReceiver, type Receiver, type webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config';
import { plain, type HttpRoutes } from '../../http/server';
import type { Logger } from '../../log';
import { lazyDatabase } from '../../store/db';
import { SeenRequests } from '../../store/seen-requests';
import type { boltLogger } from './logger';
import { guardRequests } from './request-guard';

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * How Slack reaches the bot: Socket Mode (an outgoing WebSocket opened with the app token), or Bolt's HTTP
 * receiver at /slack/events, with replayed and future-dated signed requests refused in front of it. Without
 * `seenRequests` the replay table lives in an in-memory database.
 */
export function createReceiver(
  config: SlackConfig,
  logger: ReturnType<typeof boltLogger>,
  clientOptions: webApi.WebClientOptions,
  guard: { seenRequests?: SeenRequests; log: Logger },
): Receiver {
  if (config.mode === 'socket') {
    return new SocketModeReceiver({ appToken: config.appToken ?? '', logger, installerOptions: { clientOptions } });
  }
  const receiver = new HTTPReceiver({ signingSecret: config.signingSecret ?? '', endpoints: SLACK_EVENTS_PATH, port: config.port, logger });
  const seen = guard.seenRequests ?? new SeenRequests(lazyDatabase(':memory:'));
  guardRequests(receiver, { signingSecret: config.signingSecret ?? '', endpoint: SLACK_EVENTS_PATH, seen, log: guard.log });
  return receiver;
}

/**
 * Bolt's own request listener at /slack/: it reads the raw body, checks the signature and timestamp, and acks,
 * exactly as when Bolt runs its own server. A path Bolt does not serve is a plain 404.
 */
export function mountReceiver(http: HttpRoutes, receiver: HTTPReceiver): void {
  http.add({
    name: 'slack',
    path: '/slack/',
    prefix: true,
    methods: ['POST'],
    handle(req, res) {
      try {
        receiver.requestListener(req, res);
      } catch {
        plain(res, 404, 'Not found.\n');
      }
    },
  });
}
