import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FastLane, type PlainRequest, type PreparedAnswer } from '../../src/feeds/fast-lane';
import { RawConnection } from '../fakes/raw-http';

/** 1 MiB: several answers of it outgrow the kernel's socket buffers when the client does not read. */
const BIG = Buffer.alloc(1 << 20, 'b');
/** 16 MiB: more than loopback's socket buffers hold, so part of it waits in the socket until the client reads. */
const HUGE = Buffer.alloc(1 << 24, 'h');

/**
 * The lane answers /fast and /big itself; node:http answers everything handed to it with "node:<method> <url>",
 * so each response says which path took its request.
 */
function laneAnswer(request: PlainRequest): PreparedAnswer | undefined {
  if (request.target === '/fast') {
    return { status: 200, headers: { 'Content-Type': 'text/plain', 'Content-Length': 4, 'X-Accept': request.header('accept') ?? '-' }, body: Buffer.from('fast') };
  }
  if (request.target === '/big') return { status: 200, headers: { 'Content-Length': BIG.length }, body: BIG };
  if (request.target === '/huge') return { status: 200, headers: { 'Content-Length': HUGE.length }, body: HUGE };
  if (request.target === '/bad-header') return { status: 200, headers: { 'X-Injected': 'a\r\nSet-Cookie: b' }, body: Buffer.from('') };
  if (request.target === '/throws') throw new Error('answerer failed');
  return undefined;
}

describe('FastLane in front of node:http', () => {
  let server: Server;
  let lane: FastLane;
  let port: number;
  const open: RawConnection[] = [];

  beforeEach(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(`node:${req.method} ${req.url}`));
    });
    lane = new FastLane(server, laneAnswer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    for (const connection of open.splice(0)) connection.close();
    server.closeAllConnections();
    lane.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function connection(): Promise<RawConnection> {
    const c = await RawConnection.open(port);
    open.push(c);
    return c;
  }

  const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;

  it('answers a plain keep-alive GET itself, framed the way node:http frames it', async () => {
    const c = await connection();
    c.send(get('/fast', 'Accept: text/calendar\r\n'));
    const [answer] = await c.responses(1);
    expect(answer).toMatchObject({ status: 200, body: 'fast' });
    expect(answer!.headers).toMatchObject({ 'content-length': '4', 'x-accept': 'text/calendar', connection: 'keep-alive', 'keep-alive': 'timeout=5' });
    expect(Math.abs(Date.parse(answer!.headers.date!) - Date.now())).toBeLessThan(5000);

    c.send(get('/fast'));
    expect((await c.responses(1))[0]).toMatchObject({ status: 200, body: 'fast' });
    expect(c.closed).toBe(false);
  });

  it('answers pipelined requests in order, HEAD with headers only', async () => {
    const c = await connection();
    c.send(get('/fast') + 'HEAD /fast HTTP/1.1\r\nHost: x\r\n\r\n' + get('/fast'));
    const answers = await c.responses(3, [1]);
    expect(answers.map((a) => [a.status, a.body, a.headers['content-length']])).toEqual([
      [200, 'fast', '4'],
      [200, '', '4'],
      [200, 'fast', '4'],
    ]);
  });

  it('closes after the answer when the client asks, and when the client half-closes', async () => {
    const asked = await connection();
    asked.send(get('/fast', 'Connection: close\r\n'));
    const [answer] = await asked.responses(1);
    expect(answer!.headers.connection).toBe('close');
    await asked.whenClosed();

    const halfClosed = await connection();
    halfClosed.socket.end(get('/fast'));
    expect((await halfClosed.responses(1))[0]!.body).toBe('fast');
    await halfClosed.whenClosed();
  });

  it('hands the connection to node:http at the first request it does not answer, keeping the order', async () => {
    const c = await connection();
    c.send(get('/fast') + get('/elsewhere') + get('/fast'));
    const answers = await c.responses(3);
    expect(answers.map((a) => a.body)).toEqual(['fast', 'node:GET /elsewhere', 'node:GET /fast']);
  });

  it('leaves a request split across packets to node:http, which gets every byte', async () => {
    const c = await connection();
    c.send('GET /fast HTTP/1.1\r\nHo');
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.send('st: x\r\n\r\n');
    expect((await c.responses(1))[0]!.body).toBe('node:GET /fast');
  });

  it.each([
    ['HTTP/1.0', 'GET /fast HTTP/1.0\r\nHost: x\r\n\r\n'],
    ['no Host', 'GET /fast HTTP/1.1\r\nAccept: */*\r\n\r\n'],
    ['a body', 'POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello'],
    ['a chunked body', 'GET /fast HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['Content-Length and Transfer-Encoding together (smuggling)', 'GET /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a folded header', 'GET /fast HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n b\r\n\r\n'],
    ['a repeated header', 'GET /fast HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n'],
    ['a bare LF', 'GET /fast HTTP/1.1\r\nHost: x\nX-Evil: 1\r\n\r\n'],
    ['a space before the colon', 'GET /fast HTTP/1.1\r\nHost : x\r\n\r\n'],
    ['a non-ASCII header value', 'GET /fast HTTP/1.1\r\nHost: x\r\nX-Name: M\u00fcnchen\r\n\r\n'],
    ['a lower-case method', 'get /fast HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an absolute-form target', 'GET http://x/fast HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an upgrade', 'GET /fast HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ['Expect: 100-continue', 'GET /fast HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n'],
    ['a head over 8 KiB', `GET /fast HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(9000)}\r\n\r\n`],
  ])('leaves %s to node:http', async (_case, request) => {
    const c = await connection();
    c.send(Buffer.from(request, 'latin1'));
    const [answer] = await c.responses(1);
    // node:http either answers it (200, its own body) or refuses it (400 and closes): never the lane's "fast".
    expect(answer!.body).not.toBe('fast');
    expect(answer!.status === 400 || answer!.body.startsWith('node:')).toBe(true);
  });

  it('leaves requests to node:http when the answer cannot be written or the answerer throws', async () => {
    const c = await connection();
    c.send(get('/bad-header'));
    expect((await c.responses(1))[0]!.body).toBe('node:GET /bad-header');
    const d = await connection();
    d.send(get('/throws'));
    expect((await d.responses(1))[0]!.body).toBe('node:GET /throws');
  });

  it('gives a client that does not read its answers to node:http, and loses no answer', async () => {
    const c = await connection();
    c.socket.pause();
    const count = 16;
    c.send(get('/big').repeat(count));
    await new Promise((resolve) => setTimeout(resolve, 300));
    c.socket.resume();
    const answers = await c.responses(count);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const byLane = answers.filter((a) => a.body.length === BIG.length).length;
    // The lane answered the first, wrote ahead only while the socket took it, then node:http paced the rest.
    expect(byLane).toBeGreaterThanOrEqual(1);
    expect(byLane).toBeLessThan(count);
    expect(answers.slice(byLane).every((a) => a.body === 'node:GET /big')).toBe(true);
  });

  it('closes an idle keep-alive connection after the server keepAliveTimeout', async () => {
    server.keepAliveTimeout = 1000;
    const c = await connection();
    c.send(get('/fast'));
    const [answer] = await c.responses(1);
    expect(answer!.headers['keep-alive']).toBe('timeout=1');
    await c.whenClosed();
  });

  it('does not count a slow reader of a big answer as idle, and closes once the answer is out and it is', async () => {
    server.keepAliveTimeout = 200;
    const c = await connection();
    c.socket.pause();
    c.send(get('/huge'));
    // Several idle timeouts pass while the answer waits for the client to read it.
    await new Promise((resolve) => setTimeout(resolve, 700));
    c.socket.resume();
    const [answer] = await c.responses(1);
    expect(answer!.body.length).toBe(HUGE.length);
    await c.whenClosed();
  });

  it('sends no Keep-Alive timeout and closes nothing when the server has no keep-alive timeout', async () => {
    server.keepAliveTimeout = 0;
    const c = await connection();
    c.send(get('/fast'));
    const [answer] = await c.responses(1);
    expect(answer!.headers.connection).toBe('keep-alive');
    expect(answer!.headers['keep-alive']).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(c.closed).toBe(false);
  });

  it('closes its connections on request, for a prompt shutdown', async () => {
    const c = await connection();
    c.send(get('/fast'));
    await c.responses(1);
    lane.closeAllConnections();
    await c.whenClosed();
  });

  it('refuses to take over a server whose connections someone else already handles', () => {
    const other = createServer();
    other.on('connection', () => undefined);
    expect(() => new FastLane(other, laneAnswer)).toThrow(/connection listener/);
  });
});
