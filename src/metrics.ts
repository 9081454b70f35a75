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

export const feedRequestsTotal = new Counter({
  name: 'sremuc_feed_requests_total',
  help: 'HTTP requests to the feed server by route and status code',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
});

export const catalogueReloadSeconds = new Histogram({
  name: 'sremuc_catalogue_reload_seconds',
  help: 'Time to load data/ into a new catalogue',
  registers: [metricsRegistry],
});
