import type { Counter } from 'prom-client';

/** The count so far for exactly these labels (what a test reads of a metric). */
export async function counterValue<L extends string>(counter: Counter<L>, labels: Partial<Record<L, string | number>>): Promise<number> {
  const { values } = await counter.get();
  const wanted = Object.entries(labels).map(([k, v]) => [k, String(v)]);
  return values.find((v) => wanted.every(([k, x]) => String(v.labels[k as L]) === x))?.value ?? 0;
}
