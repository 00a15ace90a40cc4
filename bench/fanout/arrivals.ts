/**
 * Arrival times of accepted messages, as a count per wall-clock millisecond (`Date.now()` of the process that saw
 * them). A 1M-message run fits in a few tens of thousands of buckets, so it crosses a process boundary cheaply.
 */
export interface Arrivals {
  count: number;
  /** [epoch ms, messages accepted in that ms], ascending. */
  buckets: [number, number][];
}

export const NO_ARRIVALS: Arrivals = { count: 0, buckets: [] };

/** Latencies relative to `t0` (ms), summarised; `null` fields when nothing arrived. */
export interface LatencySummary {
  count: number;
  firstMs: number | null;
  lastMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The 10th and 90th percentiles: the settled phase lies between them (no start-up, no tail). */
  p10Ms: number | null;
  p90Ms: number | null;
}

/** Summarises arrivals and individual latencies (e.g. receivers' device times) together, relative to `t0`. */
export function summarise(
  t0: number,
  arrivals: Arrivals,
  extraLatenciesMs: readonly number[] = [],
): LatencySummary {
  const buckets: [number, number][] = arrivals.buckets.map(([at, n]) => [at - t0, n]);
  for (const ms of extraLatenciesMs) buckets.push([ms, 1]);
  buckets.sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((n, [, k]) => n + k, 0);
  if (count === 0)
    return { count: 0, firstMs: null, lastMs: null, p50Ms: null, p99Ms: null, p10Ms: null, p90Ms: null };
  const quantile = (q: number): number => {
    // nearest rank: the smallest latency with at least q of all deliveries at or below it
    const rank = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (const [ms, n] of buckets) {
      seen += n;
      if (seen >= rank) return ms;
    }
    return buckets[buckets.length - 1][0];
  };
  return {
    count,
    firstMs: buckets[0][0],
    lastMs: buckets[buckets.length - 1][0],
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    p10Ms: quantile(0.1),
    p90Ms: quantile(0.9),
  };
}
