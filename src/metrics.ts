import type { Counter, Registry } from 'prom-client';

type Labels<Name extends string> = Record<Name, string | number>;

const tallies: Tally<string>[] = [];

/**
 * A Prometheus counter by labels, counted in a plain map and handed to prom-client when /metrics is scraped.
 * prom-client (with its OpenTelemetry dependency) takes ~70 ms to load, a twentieth of a cold start, so it is
 * loaded on the first scrape; and a labelled prom-client inc() hashes its labels on every call, which shows at
 * the tens of thousands of feed requests a second the fast lane serves.
 */
export class Tally<Name extends string> {
  private readonly counts = new Map<string, { labels: Labels<Name>; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly Name[],
  ) {
    tallies.push(this);
  }

  inc(labels: Labels<Name>): void {
    const key = this.key(labels);
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { labels: { ...labels }, count: 1 });
  }

  /** The count so far for exactly these labels. */
  value(labels: Labels<Name>): number {
    return this.counts.get(this.key(labels))?.count ?? 0;
  }

  entries(): Iterable<{ labels: Labels<Name>; count: number }> {
    return this.counts.values();
  }

  private key(labels: Labels<Name>): string {
    let key = '';
    for (const name of this.labelNames) key += `${labels[name]}\u0000`;
    return key;
  }
}

export const commandsTotal = new Tally('sremuc_commands_total', 'Slash commands answered, by platform, command and outcome', ['platform', 'command', 'outcome']);
export const postsTotal = new Tally('sremuc_posts_total', 'Scheduled posts by platform and final status', ['platform', 'status']);
export const feedRequestsTotal = new Tally('sremuc_feed_requests_total', 'HTTP requests to the feed server by route and status code', ['route', 'status']);

let registry: Promise<Registry> | undefined;

/**
 * The Prometheus text for /metrics: every tally, plus prom-client's process metrics (CPU and memory count from
 * process start; GC and event-loop histograms from the first scrape, which a Prometheus server makes within
 * seconds of start-up).
 */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  registry ??= import('prom-client').then(createRegistry);
  const ready = await registry;
  return { contentType: ready.contentType, text: await ready.metrics() };
}

function createRegistry(prometheus: typeof import('prom-client')): Registry {
  const created = new prometheus.Registry();
  prometheus.collectDefaultMetrics({ register: created });
  for (const tally of tallies) {
    new prometheus.Counter({
      name: tally.name,
      help: tally.help,
      labelNames: tally.labelNames,
      registers: [created],
      collect(this: Counter<string>) {
        this.reset();
        for (const { labels, count } of tally.entries()) this.inc(labels, count);
      },
    });
  }
  return created;
}
