/**
 * Web Push sender throughput: `WebPushChannelAdapter` (VAPID header cached per origin, keep-alive agent per origin)
 * against web-push's default path (`sendNotification`: a VAPID JWT signed per message, Node's global agent), both
 * sending to the same fake push service, which runs in its own process over HTTPS, verifies every VAPID JWT and
 * aes128gcm header and decrypts one message in 100 (a real push service decrypts none). Also times the CPU costs
 * per message in isolation (our RFC 8291 encryption and web-push's, RFC 8292 signing), which is what decides
 * whether moving encryption to worker threads could pay. Asserts nothing.
 *
 *   npm run bench:webpush [-- messages [threads,…]]     (default: 10000 0,1)
 */
import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../tsconfig.json';

register({ baseUrl: join(__dirname, '..'), paths: compilerOptions.paths });

const TOTAL = Number(process.argv[2] ?? 10_000);
const BATCH = 500;
/** Batches in flight at once, like a fanout worker with FANOUT_CONCURRENCY_WEBPUSH=4. */
const PARALLEL = 4;
/** Requests in flight per batch for both senders (the adapter's WEBPUSH_MAX_SOCKETS). */
const LANES = 64;
const SUBSCRIPTIONS = 2_000;
const DECRYPT_EVERY = 100;
/** Encryption threads to compare: inline, and one worker (more cannot help on a 2-core box). */
const THREADS = (process.argv[3] ?? '0,1').split(',').map(Number);

interface Result {
  name: string;
  messages: number;
  seconds: number;
  cpuMicrosPerMessage: number;
  connections: number;
  distinctJwts: number;
  accepted: number;
}

interface FakeStats {
  accepted: number;
  connections: number;
  distinctJwts: number;
}

async function measure(
  name: string,
  sendBatch: (batchNo: number) => Promise<void>,
  fake: { stats(): Promise<FakeStats>; reset(): Promise<void> },
): Promise<Result> {
  const batches = Math.ceil(TOTAL / BATCH);
  // warm-up: JIT, first connections
  await fake.reset();
  for (let i = 0; i < 2; i++) await sendBatch(-1 - i);
  await fake.reset();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < batches) await sendBatch(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const stats = await fake.stats();
  return {
    name,
    messages: batches * BATCH,
    seconds,
    cpuMicrosPerMessage: (used.user + used.system) / (batches * BATCH),
    connections: stats.connections,
    distinctJwts: stats.distinctJwts,
    accepted: stats.accepted,
  };
}

/** µs of CPU per call of `fn`, over `n` calls. */
function microsPerCall(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < 200; i++) fn(i);
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / n;
}

async function main(): Promise<void> {
  const { WebPushPayloads } = await import('@bousai/channels');
  const { createWebPushChannelAdapter, encryptPushPayload, generateVapidKeys, VapidHeaderCache } =
    await import('@bousai/channels/senders');
  const { loadConfig } = await import('@bousai/config');
  const {
    encryptWithWebPushLibrary,
    FAKE_PUSH_EGRESS_ENV,
    sendWithWebPushLibrary,
    startFakePushServiceProcess,
  } = await import('@bousai/testing');

  const vapid = { ...generateVapidKeys(), subject: 'mailto:bench@bousai.example.jp' };
  // a real push service decrypts nothing; the fake reads one push in DECRYPT_EVERY and checks the others' framing
  const fake = await startFakePushServiceProcess({ decryptEvery: DECRYPT_EVERY });
  try {
    const subs = await fake.createSubscriptions(SUBSCRIPTIONS);
    const message = {
      alertId: '00000000-0000-4000-8000-000000000001',
      severity: 'extreme',
      isDrill: false,
      safetyRequest: true,
      texts: {
        ja: {
          title: '避難指示',
          body: '中央地区に避難指示を発令しました。直ちに安全な場所へ避難してください。',
        },
        en: {
          title: 'Evacuation order',
          body: 'An evacuation order has been issued for Chuo. Evacuate now.',
        },
      },
      expiresAt: Date.now() + 3_600_000,
    };
    const sub = (batchNo: number, i: number) => subs[Math.abs(batchNo * BATCH + i) % subs.length];
    const language = (i: number) => (i % 10 === 0 ? 'en' : 'ja');

    // the two per-message CPU costs, in isolation
    const payloads = new WebPushPayloads(message);
    const encryptUs = microsPerCall(2_000, (i) =>
      encryptPushPayload(
        subs[i % subs.length].keys.p256dh,
        subs[i % subs.length].keys.auth,
        payloads.render(String(i), 'ja'),
      ),
    );
    const libraryEncryptUs = microsPerCall(2_000, (i) =>
      encryptWithWebPushLibrary(
        subs[i % subs.length].keys.p256dh,
        subs[i % subs.length].keys.auth,
        payloads.render(String(i), 'ja'),
      ),
    );
    const signUs = microsPerCall(2_000, () => new VapidHeaderCache(vapid).header(fake.origin));

    const oursByThreads: Result[] = [];
    for (const threads of THREADS) {
      const adapter = createWebPushChannelAdapter(
        loadConfig('fanout', {
          WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
          WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
          WEBPUSH_VAPID_SUBJECT: vapid.subject,
          WEBPUSH_TLS_INSECURE: 'true',
          ...FAKE_PUSH_EGRESS_ENV,
          WEBPUSH_MAX_SOCKETS: String(LANES),
          WEBPUSH_ENCRYPT_THREADS: String(threads),
        }),
      );
      oursByThreads.push(
        await measure(
          `WebPushChannelAdapter (${threads === 0 ? 'inline' : `${threads} encrypt thread${threads > 1 ? 's' : ''}`})`,
          async (batchNo) => {
            const targets = Array.from({ length: BATCH }, (_, i) => {
              const s = sub(batchNo, i);
              return {
                // positive, like a delivery row's id (warm-up batches are numbered -1, -2)
                deliveryId: String((batchNo + 3) * BATCH + i + 1),
                endpointId: s.id,
                address: s.endpoint,
                subscription: { endpoint: s.endpoint, keys: s.keys },
                language: language(i),
              };
            });
            const outcomes = await adapter.send(targets, message);
            if (outcomes.some((o) => o.kind !== 'sent')) throw new Error('bench: a send failed');
          },
          fake,
        ),
      );
      await adapter.onModuleDestroy();
    }
    const ours = oursByThreads[0];

    const theirs = await measure(
      `web-push sendNotification (${LANES} in flight)`,
      async (batchNo) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: LANES }, async () => {
            for (let i = next++; i < BATCH; i = next++) {
              const s = sub(batchNo, i);
              const payload = payloads.render(`${batchNo}-${i}`, language(i));
              const res = await sendWithWebPushLibrary(s, payload, vapid, {
                ttlSeconds: 3_600,
                tlsInsecure: true,
              });
              if (res.status !== 201) throw new Error(`bench: push answered ${res.status}`);
            }
          }),
        );
      },
      fake,
    );

    console.log(`Web Push sender, ${TOTAL} messages in batches of ${BATCH}, ${PARALLEL} batches in flight`);
    console.log(
      `  CPU per message in isolation: encrypt (RFC 8291) ${encryptUs.toFixed(0)} µs (web-push's encrypt ` +
        `${libraryEncryptUs.toFixed(0)} µs), VAPID sign (RFC 8292) ${signUs.toFixed(0)} µs`,
    );
    for (const r of [...oursByThreads, theirs]) {
      console.log(
        `  ${r.name.padEnd(46)} ${(r.messages / r.seconds).toFixed(0).padStart(6)} msg/s  ` +
          `${r.cpuMicrosPerMessage.toFixed(0).padStart(5)} µs CPU/msg  ${r.connections} new connections  ` +
          `${r.distinctJwts} JWTs  (${r.accepted} accepted)`,
      );
    }
    for (const r of oursByThreads) {
      const ratio = r.messages / r.seconds / (theirs.messages / theirs.seconds);
      console.log(`  throughput ratio (${r.name} / sendNotification): ${ratio.toFixed(2)}×`);
    }
    console.log(
      `  encryption share of the adapter's CPU per message: ${((100 * encryptUs) / ours.cpuMicrosPerMessage).toFixed(0)}%`,
    );
  } finally {
    await fake.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
