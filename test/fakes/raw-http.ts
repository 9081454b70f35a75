import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names in lower case, in the order sent; repeated names keep their last value. */
  headers: Record<string, string>;
  headerNames: string[];
  body: string;
}

/**
 * An HTTP/1.1 client at the byte level, for what node:http's client and fetch will not do: pipelining, requests
 * split across packets, malformed requests, and reading answers late. Reads responses framed by Content-Length
 * (or by the connection closing), skipping interim 1xx heads; the test says which requests were HEAD, whose answers have no body.
 */
export class RawConnection {
  private received = Buffer.alloc(0);
  /** Chunks not yet joined to `received`: joining only once a whole response is in keeps big answers linear. */
  private unjoined: Buffer[] = [];
  private unjoinedBytes = 0;
  /** Bytes the response being read needs in all. */
  private needed = 0;
  private waiter?: () => void;
  private ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.unjoined.push(chunk);
      this.unjoinedBytes += chunk.length;
      if (this.received.length + this.unjoinedBytes >= this.needed) this.waiter?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  get closed(): boolean {
    return this.ended;
  }

  /** The next `count` responses; `headRequests` are their indexes (0-based) that answer a HEAD. */
  async responses(count: number, headRequests: number[] = []): Promise<RawResponse[]> {
    const responses: RawResponse[] = [];
    while (responses.length < count) {
      const response = this.take(headRequests.includes(responses.length));
      if (response) responses.push(response);
      else if (this.ended) throw new Error(`connection closed after ${responses.length} of ${count} responses: ${this.received.toString('latin1')}`);
      else await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return responses;
  }

  /** Resolves when the server has closed the connection. */
  async whenClosed(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  private take(head: boolean): RawResponse | undefined {
    if (this.unjoined.length > 0) {
      this.received = Buffer.concat([this.received, ...this.unjoined]);
      this.unjoined = [];
      this.unjoinedBytes = 0;
    }
    const end = this.received.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const [statusLine, ...lines] = this.received.toString('latin1', 0, end).split('\r\n');
    const headers: Record<string, string> = {};
    const headerNames: string[] = [];
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      headers[name] = line.slice(colon + 1).trim();
      headerNames.push(name);
    }
    const status = Number(statusLine!.split(' ')[1]);
    if (status < 200) {
      // "100 Continue" and friends: interim, head only, followed by the real response.
      this.received = this.received.subarray(end + 4);
      return this.take(head);
    }
    const declared = headers['content-length'];
    const bodyLength = head || status === 304 || status === 204 ? 0 : declared !== undefined ? Number(declared) : undefined;
    const bodyStart = end + 4;
    if (bodyLength === undefined && !this.ended) return undefined;
    const bodyEnd = bodyLength === undefined ? this.received.length : bodyStart + bodyLength;
    if (this.received.length < bodyEnd) {
      this.needed = bodyEnd;
      return undefined;
    }
    this.needed = 0;
    const body = this.received.toString('utf8', bodyStart, bodyEnd);
    this.received = this.received.subarray(bodyEnd);
    return { status, headers, headerNames, body };
  }
}
