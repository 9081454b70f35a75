import type { OutboxRow } from './outbox';

/** Round-robin over channels, so that one channel's paced queue never holds up the others. */
export function interleaveByChannel(rows: OutboxRow[]): OutboxRow[] {
  const queues = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const key = `${row.platform}:${row.channel}`;
    const queue = queues.get(key);
    if (queue) queue.push(row);
    else queues.set(key, [row]);
  }
  const out: OutboxRow[] = [];
  for (let round = 0; out.length < rows.length; round++) {
    for (const queue of queues.values()) if (queue[round]) out.push(queue[round]!);
  }
  return out;
}

export async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
