/**
 * FCM sender throughput: our HTTP/2 session pool (`FcmChannelAdapter`) against firebase-admin's `sendEach`, both
 * sending to the same fake FCM v1 server running in a separate process, in one run. Prints msgs/s, client CPU
 * per message and sessions opened; asserts nothing.
 *
 *   npx tsc -p tsconfig.json --outDir dist/bench && node dist/bench/bench/fcm-sender.bench.js [messages]
 *
 * Why compiled: the sender imports Nest and libs that use decorators and enums, which Node's type stripping does
 * not run; jest would measure its own transform and sandbox. The fake server runs from its compiled `main.js`.
 *
 * Caveat: the fake speaks h2c. firebase-admin opens a new session per `sendEach` call, and against real FCM each
 * of those is a TCP + TLS handshake, which h2c does not charge; the ratio printed here understates the gap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../tsconfig.json';

// @bousai/* resolve to the compiled libraries beside this file; imports below are dynamic so this runs first
register({ baseUrl: join(__dirname, '..'), paths: compilerOptions.paths });

const TOTAL = Number(process.argv[2] ?? 20_000);
const BATCH = 500;
/** Batches in flight at once, like a fanout worker with concurrency 4. */
const PARALLEL = 4;

interface Result {
  name: string;
  messages: number;
  seconds: number;
  cpuMicrosPerMessage: number;
  /** HTTP/2 sessions opened, warm-up included. */
  sessions: number;
  accepted: number;
}

async function measure(
  name: string,
  sendBatch: (batchNo: number) => Promise<void>,
  fake: { stats(): Promise<{ sessions: number; accepted: number }>; reset(): Promise<void> },
): Promise<Result> {
  const batches = Math.ceil(TOTAL / BATCH);
  // warm-up: JIT, token fetch, first sessions
  await fake.reset();
  for (let i = 0; i < 4; i++) await sendBatch(-1 - i);
  const warmupSessions = (await fake.stats()).sessions;
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
    sessions: warmupSessions + stats.sessions,
    accepted: stats.accepted,
  };
}

async function main(): Promise<void> {
  const { createFcmChannelAdapter, buildFcmMessage, ServiceAccountJwtCredential } =
    await import('@bousai/channels/senders');
  const { loadConfig } = await import('@bousai/config');
  const { startFakeFcmProcess } = await import('@bousai/testing');
  const { initializeApp, deleteApp } = await import('firebase-admin/app');
  const { getMessaging } = await import('firebase-admin/messaging');

  const fake = await startFakeFcmProcess();
  const dir = mkdtempSync(join(tmpdir(), 'bousai-fcm-bench-'));
  try {
    const serviceAccount = await fake.serviceAccount();
    const credentialsFile = join(dir, 'service-account.json');
    writeFileSync(credentialsFile, JSON.stringify(serviceAccount));
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
    const token = (batchNo: number, i: number) => `bench-${batchNo}-${i}-${'x'.repeat(140)}`;
    const language = (i: number) => (i % 10 === 0 ? 'en' : 'ja');

    // ours: the adapter as the fanout app builds it; quota high enough not to throttle the measurement
    const adapter = createFcmChannelAdapter(
      loadConfig('fanout', {
        FCM_BASE_URL: fake.url,
        FCM_CREDENTIALS_FILE: credentialsFile,
        FCM_TOKEN_URL: fake.tokenUrl,
        FCM_QUOTA_PER_MINUTE: String(1e9),
      }),
    );
    const ours = await measure(
      'FcmChannelAdapter (4 long-lived sessions)',
      async (batchNo) => {
        const targets = Array.from({ length: BATCH }, (_, i) => ({
          deliveryId: `${batchNo}-${i}`,
          endpointId: `${batchNo}-${i}`,
          address: token(batchNo, i),
          language: language(i),
        }));
        const outcomes = await adapter.send(targets, message);
        if (outcomes.some((o) => o.kind !== 'sent')) throw new Error('bench: a send failed');
      },
      fake,
    );
    await adapter.onModuleDestroy();

    // firebase-admin: sendEach connects to https://fcm.googleapis.com; redirect it to the fake (see the
    // wire-format test for the `:scheme` correction)
    const realConnect = http2.connect;
    http2.connect = ((_authority: unknown, options?: http2.ClientSessionOptions) => {
      const session = realConnect(fake.url, { ...options, ALPNProtocols: undefined });
      const request = session.request.bind(session);
      session.request = (headers, opts) => request({ ...headers, ':scheme': 'http' }, opts);
      return session;
    }) as unknown as typeof http2.connect;
    const app = initializeApp(
      {
        credential: new ServiceAccountJwtCredential(serviceAccount, fake.tokenUrl),
        projectId: serviceAccount.project_id,
      },
      'bench',
    );
    const messaging = getMessaging(app);
    const theirs = await measure(
      'firebase-admin sendEach(500)',
      async (batchNo) => {
        const messages = Array.from({ length: BATCH }, (_, i) =>
          buildFcmMessage(token(batchNo, i), message, language(i), Date.now()),
        );
        const res = await messaging.sendEach(messages);
        if (res.failureCount > 0) throw new Error(`bench: ${res.failureCount} sendEach failures`);
      },
      fake,
    );
    http2.connect = realConnect;
    await deleteApp(app);

    console.log(`FCM sender, ${TOTAL} messages in batches of ${BATCH}, ${PARALLEL} batches in flight`);
    for (const r of [ours, theirs]) {
      console.log(
        `  ${r.name.padEnd(44)} ${(r.messages / r.seconds).toFixed(0).padStart(7)} msg/s  ` +
          `${r.cpuMicrosPerMessage.toFixed(1).padStart(6)} µs CPU/msg  ${r.sessions} sessions  (${r.accepted} accepted)`,
      );
    }
    const ratio = ours.messages / ours.seconds / (theirs.messages / theirs.seconds);
    console.log(`  throughput ratio (ours / sendEach): ${ratio.toFixed(2)}×`);
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
