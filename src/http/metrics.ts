import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { metricsText } from '../metrics';
import { plain, type Route } from './server';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Headers a reverse proxy adds: a request carrying one came from outside even though it arrives on loopback. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * `/metrics` in Prometheus text. Not public by default: without a token only a scraper on this machine gets it
 * (loopback, not through a reverse proxy); with METRICS_TOKEN every scraper must send it as a bearer token.
 */
export function metricsRoute(token?: string): Route {
  return {
    name: 'metrics',
    path: '/metrics',
    async handle(req, res) {
      if (!(token === undefined ? isLocal(req) : hasBearer(req, token))) {
        const challenge: Record<string, string> = token === undefined ? {} : { 'WWW-Authenticate': 'Bearer realm="metrics"' };
        return plain(res, token === undefined ? 403 : 401, 'Metrics are for the operator: scrape from this machine or send METRICS_TOKEN as a bearer token.\n', challenge);
      }
      const { contentType, text } = await metricsText();
      plain(res, 200, text, { 'Content-Type': contentType });
    },
  };
}

function isLocal(req: IncomingMessage): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && PROXY_HEADERS.every((h) => req.headers[h] === undefined);
}

function hasBearer(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
