import { STATUS_CODES, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** A request as the feed server sees it, whichever of the two paths it came by. */
export interface PlainRequest {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  /** A header's value by lower-case name. */
  header(name: string): string | undefined;
}

/** A whole answer. `headers` includes Content-Length whenever there is a body; HEAD and 304 never send it. */
export interface PreparedAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
}

/** Answers a request on the spot, or undefined when only node:http can (an asynchronous route such as /metrics). */
export type Answerer = (request: PlainRequest) => PreparedAnswer | undefined;

const HEAD_END = Buffer.from('\r\n\r\n');
/** Calendar apps send a few hundred bytes; anything bigger goes to node:http and its limits. */
const MAX_HEAD_BYTES = 8192;
const REQUEST_LINE = /^(GET|HEAD) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x20-\x7e\t]*?)[ \t]*$/;
/** Headers that give a request a body or change the protocol: node:http's business. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'upgrade', 'expect']);

/**
 * A fast lane in front of node:http for what calendar apps do all day: GET a prepared feed, mostly conditionally.
 * node:http spends ~30 us of CPU per request on parser callbacks, IncomingMessage, ServerResponse and header
 * validation; writing prepared bytes straight to the socket takes about half, which is what brings the feeds near
 * nginx (`npm run bench -- feeds`).
 *
 * The lane answers only whole, plainly well-formed HTTP/1.1 GET and HEAD requests without a body. At the first
 * request that is anything else (split across packets, HTTP/1.0, a body, an odd or repeated header, /metrics, a
 * client that does not read its answers), it hands the connection with the unread bytes to node:http for the rest
 * of its life. So every hard case of HTTP (smuggling, limits, timeouts, pipelining back-pressure) stays node's.
 *
 * It takes over the server's 'connection' event, where node:http attaches its parser; the server keeps listening,
 * timing out and tracking connections as before.
 */
export class FastLane {
  private readonly toNodeHttp: (socket: Socket) => void;
  private readonly connections = new Set<Socket>();

  constructor(
    private readonly server: Server,
    private readonly answer: Answerer,
  ) {
    const listeners = server.listeners('connection');
    if (listeners.length !== 1) throw new Error(`FastLane expects node:http's own connection listener alone, found ${listeners.length}`);
    const nodeHttp = listeners[0] as (socket: Socket) => void;
    this.toNodeHttp = (socket) => nodeHttp.call(server, socket);
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => this.accept(socket));
  }

  /** Closes the connections still in the lane; node:http's own are closed by `server.closeAllConnections()`. */
  closeAllConnections(): void {
    for (const socket of this.connections) socket.destroy();
  }

  private accept(socket: Socket): void {
    this.connections.add(socket);
    socket.setTimeout(this.server.keepAliveTimeout);
    const onData = (chunk: Buffer) => {
      const outcome = this.serve(socket, chunk);
      if (outcome === 'close') {
        socket.off('data', onData);
        socket.end(() => socket.destroy());
      } else if (outcome) {
        handOff(outcome);
      }
    };
    const onEnd = () => socket.end();
    // A slow reader still taking in a big calendar is not idle: the timer fires again once the answer is out.
    const onIdle = () => {
      if (socket.writableLength === 0) socket.destroy();
    };
    const onError = () => socket.destroy();
    const onClose = () => this.connections.delete(socket);
    socket.on('data', onData).on('end', onEnd).on('timeout', onIdle).on('error', onError).on('close', onClose);

    const handOff = (unread: Buffer) => {
      socket.off('data', onData).off('end', onEnd).off('timeout', onIdle).off('error', onError).off('close', onClose);
      socket.setTimeout(0);
      this.connections.delete(socket);
      socket.pause();
      if (unread.length > 0) socket.unshift(unread);
      this.toNodeHttp(socket);
      // node:http reads what was put back first, then the socket; resuming before it attached would lose bytes.
      process.nextTick(() => socket.resume());
    };
  }

  /**
   * Answers every whole request in the chunk, in order. Returns the unread bytes from the first request that needs
   * node:http, or 'close' after answering a request that asked for it.
   */
  private serve(socket: Socket, chunk: Buffer): Buffer | 'close' | undefined {
    socket.cork();
    try {
      let start = 0;
      while (start < chunk.length) {
        const end = chunk.indexOf(HEAD_END, start);
        // A client that does not read its answers gets node:http's pacing of pipelined requests.
        const request = end === -1 || end - start > MAX_HEAD_BYTES || socket.writableNeedDrain ? undefined : parseHead(chunk.toString('latin1', start, end));
        const response = request && this.respond(request);
        if (!request || !response) return chunk.subarray(start);
        socket.write(response.head, 'latin1');
        if (response.body) socket.write(response.body);
        if (request.close) return 'close';
        start = end + HEAD_END.length;
      }
      return undefined;
    } finally {
      socket.uncork();
    }
  }

  /** What node:http sends on a kept-alive connection: the idle timeout only when there is one. */
  private keepAliveHeaders(): string {
    const seconds = Math.floor(this.server.keepAliveTimeout / 1000);
    return this.server.keepAliveTimeout > 0 ? `Connection: keep-alive\r\nKeep-Alive: timeout=${seconds}` : 'Connection: keep-alive';
  }

  /**
   * The bytes to send, or undefined to leave the request to node:http: when the answerer has no answer, or throws
   * (node:http's path then answers the same request with its own error handling).
   */
  private respond(request: LaneRequest): { head: string; body?: Buffer } | undefined {
    try {
      const answer = this.answer(request);
      if (!answer) return undefined;
      const connection = request.close ? 'Connection: close' : this.keepAliveHeaders();
      const head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n${headerBlock(answer.headers)}Date: ${httpDate()}\r\n${connection}\r\n\r\n`;
      const hasBody = answer.body !== undefined && request.method === 'GET' && answer.status !== 304;
      return { head, body: hasBody ? answer.body : undefined };
    } catch {
      return undefined;
    }
  }
}

class LaneRequest implements PlainRequest {
  constructor(
    readonly method: string,
    readonly target: string,
    private readonly headers: Map<string, string>,
    /** The client asked to close the connection after this answer. */
    readonly close: boolean,
  ) {}

  header(name: string): string | undefined {
    return this.headers.get(name);
  }
}

/** The request line and headers, or undefined for anything the lane leaves to node:http. */
function parseHead(head: string): LaneRequest | undefined {
  const lines = head.split('\r\n');
  const requestLine = REQUEST_LINE.exec(lines[0]!);
  if (!requestLine) return undefined;
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    // A bare CR or LF fails the pattern, as does a folded line (starting with white space).
    const header = HEADER_LINE.exec(lines[i]!);
    if (!header) return undefined;
    const name = header[1]!.toLowerCase();
    if (headers.has(name) || FRAMING_HEADERS.has(name)) return undefined;
    headers.set(name, header[2]!);
  }
  if (!headers.has('host')) return undefined;
  const connection = connectionOptions(headers.get('connection'));
  if (connection.has('upgrade')) return undefined;
  return new LaneRequest(requestLine[1]!, requestLine[2]!, headers, connection.has('close'));
}

const KEEP_ALIVE = new Set(['keep-alive']);

function connectionOptions(header: string | undefined): Set<string> {
  if (header === undefined || header === 'keep-alive') return KEEP_ALIVE;
  return new Set(header.toLowerCase().split(',').map((token) => token.trim()));
}

/** Each headers object is serialized once: prepared resources reuse theirs for every request. */
const headerBlocks = new WeakMap<OutgoingHttpHeaders, string>();

function headerBlock(headers: OutgoingHttpHeaders): string {
  let block = headerBlocks.get(headers);
  if (block === undefined) {
    block = '';
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) {
        const text = String(one);
        if (/[\r\n\0]/.test(text)) throw new Error(`header ${name} has a line break or NUL`);
        block += `${name}: ${text}\r\n`;
      }
    }
    headerBlocks.set(headers, block);
  }
  return block;
}

let dateSecond = -1;
let dateText = '';

/** The Date header, formatted once a second like node:http does. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}
