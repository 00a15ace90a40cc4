import { readFileSync } from 'node:fs';
import type { BenchWorld } from './bench-database';

/** Jiffies the machine spent idle (idle + iowait) and in all, over every CPU (Linux `/proc/stat`). */
function cpuTimes(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { idle: fields[3] + fields[4], total: fields.reduce((a, b) => a + b, 0) };
}

async function idleShareOver(ms: number): Promise<number> {
  const before = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? (after.idle - before.idle) / total : 1;
}

export interface Settled {
  waitedMs: number;
  /** False when the box was still busy at the deadline: the next phase then shares it. */
  quiet: boolean;
  /** Idle share of the last one-second window. */
  idle: number;
}

/**
 * Clears what one phase leaves behind before the next is measured, and waits for the box to be quiet: vacuums
 * and analyzes the benchmark database (the rows a run wrote would otherwise get autovacuum's attention whenever
 * its launcher next comes by, up to a minute later, in the middle of the next phase), checkpoints (the run's
 * dirty pages are written now, not during the next phase), then waits until the CPUs are at least `minIdle` idle
 * over a second.
 */
export async function settle(
  ds: BenchWorld['dataSource'],
  { minIdle = 0.9, timeoutMs = 60_000 }: { minIdle?: number; timeoutMs?: number } = {},
): Promise<Settled> {
  const started = Date.now();
  await ds.query('VACUUM (ANALYZE)');
  await ds.query('CHECKPOINT');
  let idle = 0;
  while (Date.now() - started < timeoutMs) {
    idle = await idleShareOver(1_000);
    if (idle >= minIdle) return { waitedMs: Date.now() - started, quiet: true, idle };
  }
  return { waitedMs: Date.now() - started, quiet: false, idle };
}
