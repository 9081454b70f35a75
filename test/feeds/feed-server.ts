import { lazyMemoryDb } from '../helpers/db';
import type { Catalogue } from '../../src/catalogue/catalogue';
import type { CommunitySettings } from '../../src/catalogue/settings';
import { systemClock, type Clock } from '../../src/clock';
import { FeedCatalogue } from '../../src/feeds/catalogue';
import { addFeedRoutes } from '../../src/feeds/routes';
import { FeedSequences } from '../../src/feeds/sequence';
import { healthRoute } from '../../src/http/health';
import { metricsRoute } from '../../src/http/metrics';
import { HttpServer } from '../../src/http/server';
import { createLogger, type Logger } from '../../src/log';
import type { Db } from '../../src/store/db';

export interface FeedServerUnderTest {
  http: HttpServer;
  feeds: FeedCatalogue;
  readonly port: number;
  update(catalogue: Catalogue, settings: CommunitySettings): Promise<void>;
  stop(): Promise<void>;
}

/** The HTTP server with the routes the bot gives it (bot.ts): feeds, page, /healthz, /metrics. */
export async function startFeedServer(options: { publicUrl: string; db?: Db; clock?: Clock; port?: number; metricsToken?: string; log?: Logger }): Promise<FeedServerUnderTest> {
  const clock = options.clock ?? systemClock;
  const http = new HttpServer({ host: '127.0.0.1', port: options.port ?? 0, log: options.log ?? createLogger('silent') });
  const feeds = new FeedCatalogue({ sequences: new FeedSequences(options.db ?? lazyMemoryDb(), clock), publicUrl: options.publicUrl });
  addFeedRoutes(http, feeds, clock);
  http.add(healthRoute(() => feeds.health()));
  http.add(metricsRoute(options.metricsToken));
  await http.start();
  return {
    http,
    feeds,
    get port() {
      return http.port;
    },
    update: (catalogue, settings) => feeds.update(catalogue, settings, clock.now()),
    stop: () => http.stop(),
  };
}
