// The arrival clock shared by the benchmark's fake Web Push and SMTP processes (timed-fake-push.main.ts,
// timed-fake-smtp.main.ts): every few milliseconds the fake's list of received messages is drained into counts per
// wall-clock millisecond, so memory stays flat however many messages arrive; the parent asks over IPC.
import type { Arrivals } from './arrivals';

export type TimedFakeOp = 'arrivals' | 'clear' | 'stats';
export interface TimedFakeIpcRequest {
  id: number;
  op: TimedFakeOp;
}
export interface TimedFakeIpcReply {
  id: number;
  arrivals?: Arrivals;
  stats?: unknown;
}

const DRAIN_MS = 5;

/**
 * Serves `arrivals`, `clear` (forgets arrival times and calls `reset`) and `stats` to the parent; stops the fake
 * on SIGTERM, SIGINT or when the parent goes away. `take` hands over (and forgets) the receipt times, epoch ms, of
 * the messages accepted since it was last called.
 */
export function serveArrivals(fake: {
  take(): number[];
  reset(): void;
  stats(): unknown;
  close(): Promise<void>;
}): void {
  let perMs = new Map<number, number>();
  let count = 0;
  const drain = () => {
    for (const at of fake.take()) {
      perMs.set(at, (perMs.get(at) ?? 0) + 1);
      count++;
    }
  };
  const timer = setInterval(drain, DRAIN_MS);
  process.on('message', (req: TimedFakeIpcRequest) => {
    drain();
    const reply: TimedFakeIpcReply = { id: req.id };
    switch (req.op) {
      case 'arrivals':
        reply.arrivals = { count, buckets: [...perMs].sort((a, b) => a[0] - b[0]) };
        break;
      case 'clear':
        fake.reset();
        perMs = new Map();
        count = 0;
        break;
      case 'stats':
        reply.stats = fake.stats();
        break;
    }
    process.send?.(reply);
  });
  const stop = () => {
    clearInterval(timer);
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // the parent going away (crash, kill -9) must not leave this process behind
  process.once('disconnect', stop);
}
