// The fake FCM v1 server in a process of its own, plus what the benchmark needs on top of its control API: the
// arrival time of every accepted message. The fake keeps received messages in its public `received` list when
// recording; this process drains that list every few milliseconds into per-millisecond counts, so memory stays
// flat at a million messages. The parent (`TimedFakeFcm`) asks for the counts over IPC.
import './register-paths';
import type { FakeFcmServer as FakeFcmServerType } from '@bousai/testing';
import type { Arrivals } from './arrivals';

/** IPC requests from the parent. */
export type TimedFakeRequest = { id: number; op: 'arrivals' } | { id: number; op: 'clear-arrivals' };
export interface TimedFakeReply {
  id: number;
  arrivals?: Arrivals;
}

const DRAIN_MS = 5;

async function main(): Promise<void> {
  const { FakeFcmServer } = await import('@bousai/testing');
  const server: FakeFcmServerType = await FakeFcmServer.start({ recordMessages: true });
  let perMs = new Map<number, number>();
  let count = 0;
  const drain = () => {
    for (const r of server.received.splice(0)) {
      if (r.status !== 200) continue;
      perMs.set(r.receivedAt, (perMs.get(r.receivedAt) ?? 0) + 1);
      count++;
    }
  };
  const timer = setInterval(drain, DRAIN_MS);
  process.on('message', (req: TimedFakeRequest) => {
    drain();
    const reply: TimedFakeReply = { id: req.id };
    switch (req.op) {
      case 'arrivals':
        reply.arrivals = { count, buckets: [...perMs].sort((a, b) => a[0] - b[0]) };
        break;
      case 'clear-arrivals':
        perMs = new Map();
        count = 0;
        break;
    }
    process.send?.(reply);
  });
  const stop = () => {
    clearInterval(timer);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // the parent going away (crash, kill -9) must not leave this process behind
  process.once('disconnect', stop);
  process.stdout.write(`ready ${server.port}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
