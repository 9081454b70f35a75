import type { Clock } from '../clock';
import type { ClaimBatch, ClaimedRow, Claims, Which } from './claims';
import type { Deliverer } from './deliverer';
import { realTime } from './pacer';
import { count, type TickReport } from './tick-report';

export interface DeliveryOptions {
  claims: Claims;
  deliverer: Deliverer;
  clock: Clock;
  concurrency: number;
}

/**
 * One replica's delivery pass: claims due rows a batch at a time (Claims gives each its send slot), delivers each
 * when its slot comes, a few at once, and claims more until none is left that this replica may take. Rows other
 * replicas hold are theirs; rows whose channel or platform is busy are claimed when their turn comes.
 */
export async function deliverClaimed(options: DeliveryOptions, which: Which, report: TickReport): Promise<void> {
  const queue: (ClaimedRow & { readyAt: number })[] = [];
  let refilling: Promise<void> | undefined;
  let done = false;
  const refill = async () => {
    let batch: ClaimBatch;
    for (;;) {
      batch = await options.claims.claim(options.clock.now(), which, options.concurrency);
      if (batch.claimed.length > 0 || batch.busyMs === undefined) break;
      await realTime.sleep(batch.busyMs);
    }
    // Slots count from the moment the database's clock was read, not from now: the claim's own duration (which
    // differs between replicas) must not push this replica's requests onto the next replica's slots.
    const at = batch.clockReadAt ?? realTime.now();
    for (const c of batch.claimed) queue.push({ ...c, readyAt: at + c.delayMs });
    if (batch.claimed.length === 0) done = true;
  };
  const next = async () => {
    while (queue.length === 0 && !done) {
      refilling ??= refill().finally(() => (refilling = undefined));
      await refilling;
    }
    return queue.shift();
  };
  const worker = async () => {
    for (let claimed = await next(); claimed; claimed = await next()) {
      const wait = claimed.readyAt - realTime.now();
      if (wait > 0) await realTime.sleep(wait);
      count(report, claimed.row, await options.deliverer.deliver(claimed.row, claimed.fence));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}
