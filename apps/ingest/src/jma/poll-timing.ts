/**
 * Polite timing for JMA's PULL feeds (docs/feeds.md §1): the high-frequency feeds are regenerated every minute, and
 * JMA's explainer suggests polling at about :20 past the minute. Every poll also waits a random jitter so many
 * installations do not arrive at the same instant.
 */
export function nextPollDelayMs(
  nowMs: number,
  intervalMs: number,
  offsetSeconds: number,
  jitterMs: number,
  random: () => number = Math.random,
): number {
  const offsetMs = offsetSeconds * 1000;
  const untilBoundary = (((offsetMs - nowMs) % intervalMs) + intervalMs) % intervalMs;
  return untilBoundary + Math.floor(random() * jitterMs);
}

/**
 * How long a feed is left alone after `failures` consecutive failures: the first failure retries at the next
 * regular poll, then the wait doubles (1, 3, 7 … intervals skipped) up to `maxMs`.
 */
export function feedBackoffMs(failures: number, intervalMs: number, maxMs: number): number {
  if (failures <= 1) return 0;
  return Math.min(maxMs, intervalMs * (2 ** Math.min(failures - 1, 20) - 1));
}
