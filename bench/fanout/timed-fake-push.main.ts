// The fake push service (libs/testing: HTTPS, VAPID verified, RFC 8030/8291/8292) in a process of its own, with the
// receipt time of every accepted push (timed-fake-ipc.ts). Subscriptions are created over its control API
// (`POST /_subscriptions`), so the fake can decrypt what is sent to them: one push in `--decrypt-every N`, the
// framing of every other (a real push service decrypts nothing, and its CPU is not the sender's box's).
import './register-paths';
import type { FakePushService as FakePushServiceType } from '@bousai/testing';
import { serveArrivals } from './timed-fake-ipc';

async function main(): Promise<void> {
  const { FakePushService } = await import('@bousai/testing');
  const at = process.argv.indexOf('--decrypt-every');
  const decryptEvery = at > 0 ? Number(process.argv[at + 1]) : 1;
  const service: FakePushServiceType = await FakePushService.start({ recordMessages: true, decryptEvery });
  serveArrivals({
    take: () => service.received.splice(0).flatMap((r) => (r.status === 201 ? [r.receivedAt] : [])),
    reset: () => service.reset(),
    stats: () => service.stats(),
    close: () => service.close(),
  });
  process.stdout.write(`ready ${service.port} ${service.origin}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
