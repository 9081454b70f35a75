/**
 * Feeds as calendar apps see them: the bot's HTTP server (feed catalogue and routes, 1,000 real-shaped meetups
 * from bench/generate-events.ts) against a bare node:http server sending the same prepared bytes from a Map
 * with no routing, validation, metrics or negotiation. Two scenarios, each in alternating rounds with the same
 * load generator (64 keep-alive connections, a separate process with raw sockets):
 *   - GET /calendar.ics -> 200 (the whole calendar, identity)
 *   - GET /calendar.ics with If-None-Match -> 304 (what polling calendar apps mostly do)
 * Goal: at least 0.9x the bare server's requests per second in both.
 */
import { execFile } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { Catalogue } from '../src/catalogue/catalogue';
import { createLogger } from '../src/log';
import { startFeedServer } from '../test/feeds/feed-server';
import { makeSettings } from '../test/helpers/events';
import { generateEvents } from './generate-events';
import { alternate } from './harness';

const EVENTS = 1000;
const CONNECTIONS = 64;
const ROUND_S = 2;

interface LoadResult {
  ok: number;
  bad: number;
  seconds: number;
  bytes: number;
}

/**
 * The load generator, plain JavaScript run with `node -e` in its own process: in a worker thread it would share
 * this process (and its GC helper threads) with FeedServer but not with nginx. Each connection sends one
 * request, reads the status line and Content-Length, skips the body without copying it, then sends the next.
 */
const LOAD_GENERATOR = `
const net = require('node:net');
const { port, path, extraHeaders, seconds, connections, expectStatus } = JSON.parse(process.argv[1]);
const request = Buffer.from('GET ' + path + ' HTTP/1.1\\r\\nHost: 127.0.0.1:' + port + '\\r\\n' + extraHeaders + 'Connection: keep-alive\\r\\n\\r\\n', 'latin1');
const HEADER_END = Buffer.from('\\r\\n\\r\\n');
let ok = 0, bad = 0, bytes = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
function run() {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let head = null, remaining = 0, status = 0;
    const next = () => {
      if (performance.now() >= deadline) { socket.destroy(); resolve(); return; }
      socket.write(request);
    };
    const finish = () => { if (status === expectStatus) ok++; else bad++; next(); };
    socket.on('connect', next);
    socket.on('error', () => { bad++; resolve(); });
    socket.on('close', () => resolve());
    socket.on('data', (chunk) => {
      bytes += chunk.length;
      if (remaining > 0) { remaining -= chunk.length; if (remaining <= 0) finish(); return; }
      head = head ? Buffer.concat([head, chunk]) : chunk;
      const end = head.indexOf(HEADER_END);
      if (end === -1) return;
      const text = head.toString('latin1', 0, end);
      status = Number(text.slice(9, 12));
      const match = /\\r\\ncontent-length: *(\\d+)/i.exec(text);
      const length = status === 304 || !match ? 0 : Number(match[1]);
      remaining = length - (head.length - end - 4);
      head = null;
      if (remaining <= 0) finish();
    });
  });
}
Promise.all(Array.from({ length: connections }, run)).then(() => {
  process.stdout.write(JSON.stringify({ ok, bad, bytes, seconds: (performance.now() - started) / 1000 }));
});
`;

function load(port: number, urlPath: string, headers: Record<string, string>, expectStatus: number, seconds: number): Promise<LoadResult> {
  const extraHeaders = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const params = JSON.stringify({ port, path: urlPath, extraHeaders, seconds, connections: CONNECTIONS, expectStatus });
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', LOAD_GENERATOR, params], (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as LoadResult)));
  });
}

/** Requests per second over one round; any unexpected status fails the bench. */
async function rate(port: number, headers: Record<string, string>, expectStatus: number): Promise<number> {
  const result = await load(port, '/calendar.ics', headers, expectStatus, ROUND_S);
  if (result.bad > 0) throw new Error(`${result.bad} answers on port ${port} were not ${expectStatus}`);
  return result.ok / result.seconds;
}

/** The floor for answering through node:http: the same bytes, one ETag, nothing else. */
async function startBare(body: Buffer, etag: string): Promise<{ port: number; stop(): Promise<void> }> {
  const bare = createHttpServer((req, res) => {
    if (req.headers['if-none-match'] === etag) res.writeHead(304, { ETag: etag }).end();
    else res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: etag, 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  return {
    port: (bare.address() as { port: number }).port,
    stop: () =>
      new Promise<void>((resolve) => {
        bare.close(() => resolve());
        bare.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const server = await startFeedServer({ publicUrl: 'http://127.0.0.1', log: createLogger('error') });
  const started = performance.now();
  server.update(new Catalogue(generateEvents(EVENTS)), makeSettings());
  const reloadMs = performance.now() - started;
  // Identity, as the load generator asks: the ETag must be the one of the plain bytes.
  const first = await fetch(`${server.http.url}/calendar.ics`, { headers: { 'Accept-Encoding': 'identity' } });
  const body = Buffer.from(await first.arrayBuffer());
  const etag = first.headers.get('etag')!;
  console.log(`${EVENTS} meetups: a reload renders every feed in ${reloadMs.toFixed(0)} ms; calendar.ics ${(body.length / 1024).toFixed(0)} KiB`);
  const bare = await startBare(body, '"bare"');
  try {
    for (const [label, conditional] of [['200 whole calendar', false], ['304 If-None-Match', true]] as const) {
      const ours: Record<string, string> = conditional ? { 'If-None-Match': etag } : {};
      const theirs: Record<string, string> = conditional ? { 'If-None-Match': '"bare"' } : {};
      const status = conditional ? 304 : 200;
      await rate(server.port, ours, status);
      await rate(bare.port, theirs, status);
      await alternate({
        title: `feeds ${label}, ${CONNECTIONS} keep-alive connections, ${ROUND_S} s rounds`,
        unit: 'req/s',
        ours: { name: 'sremuc-bot HTTP server', measure: () => rate(server.port, ours, status) },
        baseline: { name: 'bare node:http, same bytes', measure: () => rate(bare.port, theirs, status) },
        goal: { op: '>=', ratio: 0.9 },
      });
    }
  } finally {
    await bare.stop();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
