/**
 * Feed serving throughput: FeedServer (1,000 real-shaped posts from bench/generate-events.ts loaded) against nginx serving the same calendar bytes from
 * a file with `etag on`, the usual way to publish a static .ics. Measured per scenario with the same load
 * generator: 64 keep-alive connections, one request in flight each, for a few seconds:
 *   - GET /calendar.ics -> 200 (the whole calendar)
 *   - GET /calendar.ics with If-None-Match -> 304 (what polling calendar apps mostly do)
 *   - GET /events/<id>.ics -> 200 (one meetup, a small body)
 * The load generator is a separate Node process with raw sockets (an autocannon-style loop), so it neither
 * shares the FeedServer's event loop nor costs much per request. nginx runs one worker process, like Node's
 * one loop.
 * A bare node:http server with the same bytes is measured too: the floor of answering through node:http, which
 * FeedServer's fast lane (src/feeds/fast-lane.ts) goes below by answering plain requests from the socket.
 * If nginx is not installed, FeedServer numbers are printed and the baseline is skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../src/catalogue/catalogue';
import { createLogger } from '../src/log';
import { startFeedServer } from '../test/feeds/feed-server';
import { makeSettings } from '../test/helpers/events';
import { generateEvents } from './generate-events';
import { freeLoopbackPort } from '../test/fakes/loopback';

const EVENTS = 1000;
const CONNECTIONS = 64;
const WARMUP_S = 1;
/** Rounds alternate between the servers and the median counts: other work on a shared machine comes and goes. */
const ROUNDS = 3;
const ROUND_S = 2;
const GOAL = 0.6;
const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

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

interface Target {
  name: string;
  port: number;
  headers: Record<string, string>;
  /** Body bytes of a 200: both servers must serve the same calendar. */
  length: number;
  cpuSeconds(): number;
  rates: number[];
  /** Server CPU time per answered request, in microseconds: what a busy shared machine cannot blur. */
  cpuPerRequest: number[];
  unexpected: number;
}

/** Warms every target up, then measures them in turn, ROUNDS times, each for ROUND_S seconds. */
async function measureAlternating(targets: Target[], urlPath: string, expectStatus: number): Promise<void> {
  for (const t of targets) await load(t.port, urlPath, t.headers, expectStatus, WARMUP_S);
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      const cpuBefore = t.cpuSeconds();
      const result = await load(t.port, urlPath, t.headers, expectStatus, ROUND_S);
      t.cpuPerRequest.push(((t.cpuSeconds() - cpuBefore) * 1e6) / result.ok);
      t.rates.push(rate(result));
      t.unexpected += result.bad;
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A single blocking GET to learn the ETag and body size each server uses. */
async function probe(port: number, urlPath: string): Promise<{ status: number; etag: string; length: number }> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, etag: res.headers.get('etag') ?? '', length: body.length };
}


async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The floor for answering through node:http: the same bytes and ETags from a Map, no routing, validation, metrics
 * or negotiation. Shows what the fast lane saves over node:http's request and response objects.
 */
async function startBareNode(files: Map<string, { body: Buffer; etag: string }>): Promise<{ port: number; stop(): Promise<void> }> {
  const bare = createHttpServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) {
      res.writeHead(404).end();
    } else if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { ETag: file.etag }).end();
    } else {
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: file.etag, 'Content-Length': file.body.length }).end(file.body);
    }
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

interface Nginx {
  port: number;
  /** CPU seconds used so far by the master and its worker. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process and its children from /proc (Linux), in seconds; NaN where /proc is missing. */
function processTreeCpuSeconds(pid: number): number {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children].reduce((sum, p) => {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    }, 0);
  } catch {
    return NaN;
  }
}

/** Starts nginx on a loopback port with a temp prefix, serving `files` (path -> bytes) with etag on. */
async function startNginx(binary: string, files: Record<string, Buffer>): Promise<Nginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'sremuc-nginx-'));
  // mkdtemp makes the directory 0700; nginx workers drop to an unprivileged user when started as root.
  chmodSync(prefix, 0o755);
  const root = path.join(prefix, 'www');
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), bytes);
  }
  const port = await freeLoopbackPort();
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/calendar ics; }
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/calendar;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  open_file_cache max=64;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    etag on;
    location / { }
  }
}
`,
  );
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port, 5000),
      exited.then(() => {
        throw new Error(`nginx exited: ${stderr.trim()}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(prefix, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    cpuSeconds: () => processTreeCpuSeconds(child.pid!),
    stop: async () => {
      child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** This process is FeedServer plus an idle bench loop: the load generator runs elsewhere. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (r: LoadResult) => r.ok / r.seconds;

interface Scenario {
  label: string;
  path: string;
  conditional: boolean;
}

async function main(): Promise<void> {
  const server = await startFeedServer({ publicUrl: 'http://127.0.0.1', log: createLogger('error') });
  const events = generateEvents(EVENTS);
  const renderStarted = performance.now();
  server.update(new Catalogue(events), makeSettings());
  const updateMs = performance.now() - renderStarted;
  // The first request renders the calendar.
  const calendarBytes = Buffer.from(await (await fetch(`${server.http.url}/calendar.ics`)).arrayBuffer());
  const renderMs = performance.now() - renderStarted;

  const eventPath = `/events/${encodeURIComponent(events[events.length - 1]!.id)}.ics`;
  const eventBytes = Buffer.from(await (await fetch(`${server.http.url}${eventPath}`)).arrayBuffer());
  console.log(`${events.length} real-shaped events: update() ${updateMs.toFixed(0)} ms, then the first calendar request ${(renderMs - updateMs).toFixed(0)} ms; calendar.ics ${(calendarBytes.length / 1024).toFixed(0)} KiB, one event ${(eventBytes.length / 1024).toFixed(1)} KiB`);
  console.log(
    `load: ${CONNECTIONS} keep-alive connections, ${WARMUP_S} s warm-up, then ${ROUNDS} alternating rounds of ${ROUND_S} s per server (median), no Accept-Encoding (identity bodies on both)`,
  );

  const bare = await startBareNode(
    new Map([
      ['/calendar.ics', { body: calendarBytes, etag: '"bare-calendar"' }],
      [eventPath, { body: eventBytes, etag: '"bare-event"' }],
    ]),
  );
  const binary = NGINX_CANDIDATES.find((p) => existsSync(p));
  let nginx: Nginx | undefined;
  if (!binary) {
    console.log('nginx not found (apt-get install -y nginx): measuring FeedServer only, no baseline ratios.');
  } else {
    try {
      nginx = await startNginx(binary, { 'calendar.ics': calendarBytes, [eventPath.slice(1)]: eventBytes });
    } catch (err) {
      console.log(`nginx could not start (${(err as Error).message}): measuring FeedServer only, no baseline ratios.`);
    }
  }

  const scenarios: Scenario[] = [
    { label: 'calendar.ics 200', path: '/calendar.ics', conditional: false },
    { label: 'calendar.ics 304 (If-None-Match)', path: '/calendar.ics', conditional: true },
    { label: 'one event .ics 200', path: eventPath, conditional: false },
  ];
  let failures = 0;
  try {
    for (const scenario of scenarios) {
      const targets: Target[] = [];
      const servers: [string, number, () => number][] = [['FeedServer', server.port, ownCpuSeconds]];
      if (nginx) servers.push(['nginx', nginx.port, nginx.cpuSeconds]);
      servers.push(['bare node:http', bare.port, ownCpuSeconds]);
      for (const [name, port, cpuSeconds] of servers) {
        const first = await probe(port, scenario.path);
        if (first.status !== 200) throw new Error(`${name} answered ${first.status} for ${scenario.path}`);
        if (targets[0] && first.length !== targets[0].length) throw new Error(`${name} serves ${first.length} bytes, FeedServer ${targets[0].length}`);
        targets.push({ name, port, headers: scenario.conditional ? { 'If-None-Match': first.etag } : {}, length: first.length, cpuSeconds, rates: [], cpuPerRequest: [], unexpected: 0 });
      }
      await measureAlternating(targets, scenario.path, scenario.conditional ? 304 : 200);
      failures += targets.filter((t) => t.unexpected > 0).length;
      console.log(scenario.label);
      for (const t of targets) {
        const cpu = median(t.cpuPerRequest);
        const cpuText = Number.isNaN(cpu) ? '' : `${cpu.toFixed(1).padStart(8)} us CPU/req`;
        console.log(`  ${t.name.padEnd(16)}${fmt(median(t.rates)).padStart(8)} req/s${cpuText}${t.unexpected ? `  (${t.unexpected} unexpected)` : ''}`);
      }
      const ours = median(targets[0]!.rates);
      const ratios = targets.slice(1).map((t) => {
        const ratio = ours / median(t.rates);
        const goal = t.name === 'nginx' ? ` (goal >= ${GOAL}x: ${ratio >= GOAL ? 'met' : 'NOT met'})` : '';
        return `${ratio.toFixed(2)}x ${t.name}${goal}`;
      });
      console.log(`  FeedServer = ${ratios.join(', ')}`);
    }
  } finally {
    await nginx?.stop();
    await bare.stop();
    await server.stop();
  }
  if (failures > 0) {
    console.error(`${failures} scenario(s) saw unexpected statuses`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
