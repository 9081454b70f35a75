import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a route answers: a body (served with ETag and/or Last-Modified), or a failure. */
export type Route = { body: string; type: string; etag?: boolean; lastModified?: string } | { status: number } | { hangUp: true };

/**
 * A local publisher of calendars and schedules on 127.0.0.1, as a real one behaves: ETag / Last-Modified
 * validators, 304 for a matching If-None-Match or If-Modified-Since, and failures on demand.
 */
export class SchedulePublisher {
  readonly routes = new Map<string, Route>();
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders; status: number }> = [];
  private server?: Server;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const route = this.routes.get(req.url ?? '');
      const log = (status: number) => this.requests.push({ path: req.url ?? '', headers: req.headers, status });
      if (!route) {
        log(404);
        res.writeHead(404).end('not found');
        return;
      }
      if ('hangUp' in route) {
        log(0);
        req.socket.destroy();
        return;
      }
      if ('status' in route) {
        log(route.status);
        res.writeHead(route.status, { 'content-type': 'text/plain' }).end('upstream trouble');
        return;
      }
      const headers: Record<string, string> = { 'content-type': route.type };
      const etag = `"${createHash('sha1').update(route.body).digest('hex').slice(0, 16)}"`;
      if (route.etag !== false) headers.etag = etag;
      if (route.lastModified) headers['last-modified'] = route.lastModified;
      const matches = route.etag !== false ? req.headers['if-none-match'] === etag : route.lastModified !== undefined && req.headers['if-modified-since'] === route.lastModified;
      if (matches) {
        log(304);
        res.writeHead(304, headers).end();
        return;
      }
      log(200);
      res.writeHead(200, headers).end(route.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
