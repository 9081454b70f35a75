import { collectDefaultMetrics, Counter, register } from 'prom-client';

/**
 * The bot's Prometheus metrics, in prom-client's default registry (served at /metrics by src/http/metrics.ts),
 * with the process metrics (CPU, memory, event loop, GC) prom-client collects by itself.
 */
// The event-loop lag is sampled every 100 ms rather than prom-client's 10 ms: a pause a member would notice is
// longer than that and still shows in the histogram, and an idle bot is not woken a hundred times a second.
collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 100 });

export const commandsTotal = new Counter({
  name: 'sremuc_commands_total',
  help: 'Slash commands answered, by platform, command and outcome',
  labelNames: ['platform', 'command', 'outcome'] as const,
});

export const postsTotal = new Counter({
  name: 'sremuc_posts_total',
  help: 'Scheduled posts by platform and final status',
  labelNames: ['platform', 'status'] as const,
});

export const httpRequestsTotal = new Counter({
  name: 'sremuc_http_requests_total',
  help: 'HTTP requests by route and status code',
  labelNames: ['route', 'status'] as const,
});

/** The Prometheus text of every metric. */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  return { contentType: register.contentType, text: await register.metrics() };
}
