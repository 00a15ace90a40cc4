// the email baseline is nodemailer's own per-message path, deliberately not the channel's pooled transport
import { createTransport } from 'nodemailer';
import { type DeliveryTarget, renderAlertEmail, WebPushPayloads } from '@bousai/channels';
import { createEmailChannelAdapter, createWebPushChannelAdapter } from '@bousai/channels/senders';
import { loadConfig } from '@bousai/config';
import { type FakePushSubscription, sendWithWebPushLibrary } from '@bousai/testing';
import { BENCH_MESSAGE } from './send-paths';
import type { TimedFake } from './timed-fakes';

/** Settings shared by every sender of one run (the fanout process gets the same): WEBPUSH_*, SMTP_*, FANOUT_*. */
export type ChannelEnv = Record<string, string>;

const language = (i: number) => (i % 10 === 0 ? 'en' : 'ja');

/** Messages sent before a measurement and forgotten (JIT, first connections, VAPID header, SMTP pool). */
const WARM_UP = 100;

/**
 * `messages` sends in batches of FANOUT_BATCH_SIZE, `inFlight` batches at once (the fanout's concurrency for the
 * channel), after a warm-up outside the measurement. Resolves to the time the first measured send left.
 */
async function batched(
  fake: TimedFake,
  messages: number,
  batchSize: number,
  inFlight: number,
  sendBatch: (from: number, to: number) => Promise<void>,
): Promise<number> {
  await sendBatch(0, Math.min(messages, WARM_UP));
  await fake.clear();
  const batches = Math.ceil(messages / batchSize);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < batches) {
        const b = next++;
        await sendBatch(b * batchSize, Math.min(messages, (b + 1) * batchSize));
      }
    }),
  );
  return started;
}

/**
 * `messages` sends in `lanes` loops, each sending its next message as soon as its previous one was answered, after
 * a warm-up outside the measurement. Resolves to the time the first measured send left.
 */
async function inLanes(
  fake: TimedFake,
  messages: number,
  lanes: number,
  sendOne: (i: number) => Promise<void>,
): Promise<number> {
  const run = async (to: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(lanes, to) }, async () => {
        for (let i = next++; i < to; i = next++) await sendOne(i);
      }),
    );
  };
  await run(Math.min(messages, WARM_UP));
  await fake.clear();
  const started = Date.now();
  await run(messages);
  return started;
}

/**
 * Web Push ceiling: `WebPushChannelAdapter` as the fanout wires it (VAPID cache, agents, encryption pool), fed
 * from memory.
 */
export async function runWebPushCeiling(
  fake: TimedFake,
  env: ChannelEnv,
  subscriptions: readonly FakePushSubscription[],
  messages: number,
): Promise<number> {
  const config = loadConfig('fanout', env);
  const adapter = createWebPushChannelAdapter(config);
  try {
    return await batched(
      fake,
      messages,
      config.FANOUT_BATCH_SIZE,
      config.FANOUT_CONCURRENCY_WEBPUSH,
      async (from, to) => {
        const targets: DeliveryTarget[] = [];
        for (let i = from; i < to; i++) {
          const s = subscriptions[i % subscriptions.length];
          targets.push({
            deliveryId: String(i + 1),
            endpointId: s.id,
            address: s.endpoint,
            subscription: { endpoint: s.endpoint, keys: s.keys },
            language: language(i),
          });
        }
        const outcomes = await adapter.send(targets, BENCH_MESSAGE);
        const bad = outcomes.find((o) => o.kind !== 'sent');
        if (bad) throw new Error(`webpush ceiling: a send was not accepted (${JSON.stringify(bad)})`);
      },
    );
  } finally {
    await adapter.onModuleDestroy();
  }
}

/**
 * Web Push baseline: web-push's default path, `sendNotification` per message (a VAPID JWT signed and the payload
 * encrypted inline for every message, Node's keep-alive global agent), with as many requests in flight as the
 * adapter has connections to the push service (WEBPUSH_MAX_SOCKETS), so both open as many.
 */
export async function runWebPushLibraryBaseline(
  fake: TimedFake,
  env: ChannelEnv,
  subscriptions: readonly FakePushSubscription[],
  messages: number,
): Promise<number> {
  const config = loadConfig('fanout', env);
  const publicKey = config.WEBPUSH_VAPID_PUBLIC_KEY;
  const privateKey = config.WEBPUSH_VAPID_PRIVATE_KEY;
  if (!publicKey || !privateKey) throw new Error('webpush baseline: no VAPID keys');
  const vapid = { publicKey, privateKey, subject: config.WEBPUSH_VAPID_SUBJECT };
  const payloads = new WebPushPayloads(BENCH_MESSAGE);
  const ttlSeconds = Math.floor((BENCH_MESSAGE.expiresAt - Date.now()) / 1_000);
  return inLanes(fake, messages, config.WEBPUSH_MAX_SOCKETS, async (i) => {
    const s = subscriptions[i % subscriptions.length];
    const payload = payloads.render(String(i + 1), language(i));
    const res = await sendWithWebPushLibrary(s, payload, vapid, { ttlSeconds, tlsInsecure: true });
    if (res.status !== 201) throw new Error(`webpush baseline: push answered ${res.status}`);
  });
}

const emailAddress = (i: number) => `ceiling-${i}@bench.example`;

/**
 * Email ceiling: `EmailChannelAdapter` as the fanout wires it (one pool of SMTP_POOL_MAX connections), fed from
 * memory.
 */
export async function runEmailCeiling(fake: TimedFake, env: ChannelEnv, messages: number): Promise<number> {
  const config = loadConfig('fanout', env);
  const adapter = createEmailChannelAdapter(config);
  try {
    return await batched(
      fake,
      messages,
      config.FANOUT_BATCH_SIZE,
      config.FANOUT_CONCURRENCY_EMAIL,
      async (from, to) => {
        const targets: DeliveryTarget[] = [];
        for (let i = from; i < to; i++) {
          targets.push({
            deliveryId: String(i + 1),
            endpointId: String(i),
            address: emailAddress(i),
            language: language(i),
          });
        }
        const outcomes = await adapter.send(targets, BENCH_MESSAGE);
        const bad = outcomes.find((o) => o.kind !== 'sent');
        if (bad) throw new Error(`email ceiling: a send was not accepted (${JSON.stringify(bad)})`);
      },
    );
  } finally {
    adapter.onModuleDestroy();
  }
}

/**
 * Email baseline: nodemailer without a pool, `sendMail` per message: one SMTP connection (connect, greeting,
 * EHLO, MAIL, RCPT, DATA, QUIT) per message, as many at once as the adapter's pool holds (SMTP_POOL_MAX). The same
 * rendered mail as the adapter's.
 */
export async function runEmailBaseline(fake: TimedFake, env: ChannelEnv, messages: number): Promise<number> {
  const config = loadConfig('fanout', env);
  const transport = createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    connectionTimeout: config.SMTP_TIMEOUT_MS,
    greetingTimeout: config.SMTP_TIMEOUT_MS,
    socketTimeout: config.SMTP_TIMEOUT_MS,
  });
  try {
    return await inLanes(fake, messages, config.SMTP_POOL_MAX, async (i) => {
      const deliveryId = String(i + 1);
      const mail = renderAlertEmail(BENCH_MESSAGE, deliveryId, language(i));
      const info = (await transport.sendMail({
        from: config.SMTP_FROM,
        to: emailAddress(i),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: `<${deliveryId}.${BENCH_MESSAGE.alertId}@bench.example>`,
      })) as { accepted?: unknown[] };
      if ((info.accepted ?? []).length !== 1) throw new Error('email baseline: a message was refused');
    });
  } finally {
    transport.close();
  }
}
