import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log';
import { httpRequestsTotal } from '../metrics';

/** Answers one request; may be asynchronous. Anything it throws or rejects with becomes a 500. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string) => void | Promise<void>;

export interface Route {
  /** The `route` label of sremuc_http_requests_total, e.g. "calendar", "slack". */
  name: string;
  /** The exact path ("/calendar.ics"), or with `prefix` the start of every path served ("/events/", "/slack/"). */
  path: string;
  prefix?: boolean;
  /** Methods answered; anything else gets 405 with Allow. Default: GET and HEAD. */
  methods?: readonly string[];
  handle: RouteHandler;
}

/** Where other parts of the bot mount their routes (feeds, Slack's /slack/events, /webhooks/git, ...). */
export interface HttpRoutes {
  add(route: Route): void;
}

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (tests, benchmarks); `port` tells which. */
  port: number;
  log: Logger;
}

const READ_METHODS = ['GET', 'HEAD'] as const;

/**
 * The bot's one HTTP server: every inbound route (feeds, page, health, metrics, Slack's request URL, webhooks)
 * listens on one port, so a deployment needs one public host and one reverse-proxy rule. Routes are matched
 * on the path as sent (not decoded): an exact path first, then the longest registered prefix.
 */
export class HttpServer implements HttpRoutes {
  private readonly exact = new Map<string, Route>();
  private readonly prefixes: Route[] = [];
  private server?: Server;

  constructor(private readonly options: HttpServerOptions) {}

  add(route: Route): void {
    if (!route.path.startsWith('/')) throw new Error(`route path must start with "/": ${route.path}`);
    const taken = route.prefix ? this.prefixes.some((r) => r.path === route.path) : this.exact.has(route.path);
    if (taken) throw new Error(`route ${route.path} is registered twice`);
    if (route.prefix) {
      this.prefixes.push(route);
      this.prefixes.sort((a, b) => b.path.length - a.path.length);
    } else {
      this.exact.set(route.path, route);
    }
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.options.port;
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.dispatch(req, res));
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.options.log.info({ url: this.url, routes: [...this.exact.keys(), ...this.prefixes.map((r) => `${r.path}*`)] }, 'http server listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Calendar apps hold keep-alive sockets open; close() alone would wait for them.
      server.closeAllConnections();
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const route = this.exact.get(path) ?? this.prefixes.find((r) => path.startsWith(r.path));
    const name = route?.name ?? 'unknown';
    res.once('finish', () => httpRequestsTotal.inc({ route: name, status: res.statusCode }));
    if (!route) return plain(res, 404, 'Not found.\n');
    const methods = route.methods ?? READ_METHODS;
    if (!methods.includes(req.method ?? '')) return plain(res, 405, `Only ${methods.join(' and ')} ${methods.length > 1 ? 'are' : 'is'} supported.\n`, { Allow: methods.join(', ') });
    // A handler that rejects fails like one that throws: a 500, or a cut connection once the answer has begun.
    const failed = (err: unknown) => {
      this.options.log.error({ err, url: target, route: name }, 'http request failed');
      if (!res.headersSent) plain(res, 500, 'Internal error.\n');
      else res.destroy();
    };
    try {
      const done = route.handle(req, res, path);
      if (done) done.catch(failed);
    } catch (err) {
      failed(err);
    }
  }
}

/** A short plain-text answer that no cache keeps (errors, refusals). */
export function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}
