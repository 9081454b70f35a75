import type { Config } from '../config';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { GitFollower } from '../sources/follow';
import type { FeedCatalogue } from '../feeds/catalogue';
import { addFeedRoutes } from '../feeds/routes';
import type { HttpServer } from '../http/server';
import { healthRoute } from '../http/health';
import { metricsRoute } from '../http/metrics';
import { gitWebhookRoute } from '../http/webhooks/route';

/**
 * The routes on the bot's one HTTP server besides Slack's: feeds and page, /healthz, the git push webhook
 * (when the events come from a repository) and /metrics.
 */
export function addBotRoutes(http: HttpServer, parts: { config: Config; feeds: FeedCatalogue; clock: Clock; follower?: GitFollower; log: Logger }): void {
  const { config, feeds, follower, log } = parts;
  addFeedRoutes(http, feeds, parts.clock);
  // /healthz names the revision in service (and a failing fetch), so a deploy check sees what the bot serves.
  http.add(healthRoute(() => ({ ...feeds.health(), source: follower?.status() ?? { kind: 'folder', dir: config.events.kind === 'folder' ? config.events.dir : '' } })));
  if (follower && config.events.kind === 'git') {
    http.add(gitWebhookRoute({ secret: config.events.webhookSecret, branch: config.events.branch, fetchNow: (reason) => follower.fetchNow(reason), log }));
  }
  http.add(metricsRoute(config.http.metricsToken));
}
