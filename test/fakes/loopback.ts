import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** Serves a fake platform on a free port of 127.0.0.1: its HTTP requests and its WebSocket upgrades. */
export async function listenOnLoopback(
  server: Server,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Promise<void> {
  // Platforms keep idle connections open far longer than node's 5 s default; a client reusing one the fake had
  // just closed would see a reset that the real service does not cause.
  server.keepAliveTimeout = 60_000;
  server.on('request', (req, res) => void handle(req, res));
  server.on('upgrade', upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

export function loopbackUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port free on 127.0.0.1 right now: for servers that must know their own URL before they start. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
