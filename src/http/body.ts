import type { IncomingMessage } from 'node:http';

/**
 * The request body's raw bytes, exactly as sent (signatures are over them), or undefined when it is larger
 * than `maxBytes`: the rest is drained unread so the connection stays usable for the refusal.
 */
export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
