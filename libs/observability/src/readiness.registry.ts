import { Injectable, Logger } from '@nestjs/common';
import { scrubText } from './personal-data.scrubber';

/** Resolves when the dependency can serve; rejects (or hangs past the timeout) when it cannot. */
export type ReadinessCheck = () => Promise<void>;

export interface CheckResult {
  ok: boolean;
  /** Milliseconds the check took, or until it timed out. */
  ms: number;
  error?: string;
}

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, CheckResult>;
}

export const READINESS_TIMEOUT_MS = 2_000;

/**
 * The checks behind `GET /readyz`. Modules register theirs at boot (`register('postgres', () => tx.ping())`);
 * the report runs them all in parallel, each bounded by a timeout, so one hung dependency answers 503 in ~2 s
 * instead of holding the probe open.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly logger = new Logger(ReadinessRegistry.name);
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly lastOk = new Map<string, boolean>();

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is registered twice`);
    this.checks.set(name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async report(timeoutMs = READINESS_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await run(check, timeoutMs)] as const),
    );
    for (const [name, result] of entries) this.noteTransition(name, result);
    return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
  }

  /** Probes come every few seconds: log when a dependency goes down or comes back, not on every probe. */
  private noteTransition(name: string, result: CheckResult): void {
    const before = this.lastOk.get(name);
    this.lastOk.set(name, result.ok);
    if (before === result.ok) return;
    if (!result.ok) this.logger.warn({ check: name, error: result.error }, 'readiness check failing');
    else if (before === false) this.logger.log({ check: name }, 'readiness check recovered');
  }
}

async function run(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true, ms: elapsed(started) };
  } catch (err) {
    return { ok: false, ms: elapsed(started), error: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

/** Error text goes to unauthenticated probes: scrub it (connection strings may carry credentials). */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return scrubText(message).slice(0, 300);
}
