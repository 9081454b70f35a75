import type { Config } from '../config';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { GitFollower } from '../sources/follow';
import type { FeedCatalogue } from '../feeds/catalogue';
import { addFeedRoutes } from '../feeds/routes';
import type { HttpRoutes, HttpServer } from '../http/server';
import { healthRoute } from '../http/health';
import { metricsRoute } from '../http/metrics';
import { gitWebhookRoute } from '../http/webhooks/route';
import type { Community } from '../community/community';
import { COMMUNITY_PATH } from '../community/specs';
import { COMMUNITIES_PAGE_CSP, renderCommunitiesPage } from '../feeds/communities-page';

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

/**
 * Several communities: each one's page and feeds under /c/<slug>/ (the same routes as a single community's, with
 * the prefix; /c/<slug>/webhooks/git for one from a repository), at / the list of communities, /healthz for all
 * of them and /metrics.
 */
export function addCommunityRoutes(http: HttpServer, parts: { config: Config; communities: readonly Community[]; clock: Clock }): void {
  for (const community of parts.communities) {
    const prefix = `${COMMUNITY_PATH}${community.spec.slug!}`;
    addFeedRoutes(under(http, prefix, () => community.currentFeeds()), community.feeds, parts.clock);
    const { follower } = community;
    const { events } = community.spec;
    if (follower && events.kind === 'git') {
      under(http, prefix).add(gitWebhookRoute({ secret: events.webhookSecret, branch: events.branch, fetchNow: (reason) => follower.fetchNow(reason), log: community.log }));
    }
  }
  http.add(
    healthRoute(() => {
      const each = parts.communities.map((c) => c.health());
      const reloads = each.map((h) => h.lastReload).filter((r): r is string => r !== null).sort();
      return { ok: true, events: each.reduce((n, h) => n + h.events, 0), lastReload: reloads.at(-1) ?? null, source: { kind: 'communities', count: each.length } };
    }),
  );
  http.add({
    name: 'communities',
    path: '/',
    handle(req, res) {
      const list = parts.communities.map((c) => ({ name: c.data.current().settings.name, path: `${COMMUNITY_PATH}${c.spec.slug!}/` }));
      const body = Buffer.from(renderCommunitiesPage(list));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'public, max-age=60', 'Content-Security-Policy': COMMUNITIES_PAGE_CSP, 'X-Content-Type-Options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  });
  http.add(metricsRoute(parts.config.http.metricsToken));
}

/**
 * Routes mounted under a path prefix: each handler sees the path without it, as if it were at the root, once
 * `ready` (the community's feeds rendered for its current data) has resolved.
 */
function under(http: HttpRoutes, prefix: string, ready: () => Promise<void> = async () => undefined): HttpRoutes {
  return {
    add: (route) =>
      http.add({
        ...route,
        path: prefix + route.path,
        handle: async (req, res, path) => {
          await ready();
          await route.handle(req, res, path.slice(prefix.length));
        },
      }),
  };
}
