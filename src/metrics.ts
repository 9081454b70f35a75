import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The process's one metrics registry, served at /metrics in Prometheus format. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const commandsTotal = new Counter({
  name: 'sremuc_commands_total',
  help: 'Slash commands answered, by platform, command and outcome',
  labelNames: ['platform', 'command', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const postsTotal = new Counter({
  name: 'sremuc_posts_total',
  help: 'Scheduled posts by platform and final status',
  labelNames: ['platform', 'status'] as const,
  registers: [metricsRegistry],
});

/**
 * Feed requests are tallied in a plain map and handed to prom-client when /metrics is scraped: a labelled inc()
 * hashes its labels on every call, which shows at the tens of thousands of requests a second the feeds serve.
 */
const feedRequestTallies = new Map<string, { route: string; status: string; count: number }>();

export function countFeedRequest(route: string, status: number): void {
  const key = `${route} ${status}`;
  const tally = feedRequestTallies.get(key);
  if (tally) tally.count++;
  else feedRequestTallies.set(key, { route, status: String(status), count: 1 });
}

export const feedRequestsTotal = new Counter({
  name: 'sremuc_feed_requests_total',
  help: 'HTTP requests to the feed server by route and status code',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
  collect() {
    for (const tally of feedRequestTallies.values()) {
      if (tally.count === 0) continue;
      this.inc({ route: tally.route, status: tally.status }, tally.count);
      tally.count = 0;
    }
  },
});

export const catalogueReloadSeconds = new Histogram({
  name: 'sremuc_catalogue_reload_seconds',
  help: 'Time to load data/ into a new catalogue',
  registers: [metricsRegistry],
});
