/**
 * Fetching a source politely: conditional requests (If-None-Match with the last ETag, If-Modified-Since with the
 * last Last-Modified), so an unchanged calendar costs the publisher a 304; a size cap and a timeout so a broken
 * server cannot stall or flood the bot. The last good copy is kept on disk, so a restart during an outage still
 * has the schedule.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CachedCopy {
  body: string;
  etag?: string;
  lastModified?: string;
  /** ISO instant of the fetch that brought this body. */
  fetchedAt: string;
  /** The URL it came from: a copy of another URL (the source was re-pointed) is not used. */
  url?: string;
}

export type FetchOutcome =
  | { kind: 'fresh'; copy: CachedCopy }
  | { kind: 'not-modified' }
  | { kind: 'failed'; reason: string };

const TIMEOUT_MS = 30_000;
const MAX_BYTES = 10 * 1024 * 1024;

export async function fetchConditional(url: string, previous: CachedCopy | undefined, now: () => Date): Promise<FetchOutcome> {
  const headers: Record<string, string> = { 'user-agent': 'sremuc-bot (calendar import)', accept: 'text/calendar, application/json, application/xml, text/xml, */*;q=0.5' };
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'failed', reason: `could not reach it (${cause?.code ?? cause?.message ?? (error as Error).message})` };
  }
  if (response.status === 304 && previous) {
    await response.body?.cancel();
    return { kind: 'not-modified' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { kind: 'failed', reason: `it answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) {
    await response.body?.cancel();
    return { kind: 'failed', reason: `it is ${declared} bytes, over the ${MAX_BYTES}-byte limit` };
  }
  let body: string;
  try {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_BYTES) return { kind: 'failed', reason: `it is over the ${MAX_BYTES}-byte limit` };
    body = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  } catch (error) {
    return { kind: 'failed', reason: `the download broke off (${(error as Error).message})` };
  }
  return {
    kind: 'fresh',
    copy: {
      body,
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
      fetchedAt: now().toISOString(),
      url,
    },
  };
}

/** Last good copies, one JSON file per source under `dir`; without a dir, kept in memory only. */
export class CopyStore {
  private readonly memory = new Map<string, CachedCopy>();

  constructor(private readonly dir?: string) {}

  get(name: string): CachedCopy | undefined {
    const held = this.memory.get(name);
    if (held || !this.dir) return held;
    try {
      const copy = JSON.parse(readFileSync(this.file(name), 'utf8')) as CachedCopy;
      if (typeof copy.body !== 'string') return undefined;
      this.memory.set(name, copy);
      return copy;
    } catch {
      return undefined;
    }
  }

  /** Written to a temporary file and renamed, so a crash mid-write never leaves half a calendar. */
  set(name: string, copy: CachedCopy): void {
    this.memory.set(name, copy);
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    const target = this.file(name);
    writeFileSync(`${target}.tmp`, JSON.stringify(copy));
    renameSync(`${target}.tmp`, target);
  }

  private file(name: string): string {
    return path.join(this.dir!, `${name}.json`);
  }
}
