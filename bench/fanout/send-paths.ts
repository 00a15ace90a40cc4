import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import { type OutgoingMessage } from '@bousai/channels';
import {
  buildFcmMessage,
  createFcmChannelAdapter,
  ServiceAccountJwtCredential,
  type ServiceAccountKey,
} from '@bousai/channels/senders';
import { loadConfig } from '@bousai/config';
import { Channel, DeliveryStatus, signDeliveryAckToken } from '@bousai/domain';
import { defineJob, type JobProcessor, QueueName, QueueProducer, QueueWorkers } from '@bousai/queue';
import { z } from 'zod';
import type { BenchWorld } from './bench-database';
import type { TimedFakeFcm } from './processes';

/** Settings every FCM sender of one run shares: FCM_* and any `--env` overrides (the fanout process gets the same). */
export type FcmEnv = Record<string, string>;

export const BENCH_MESSAGE: OutgoingMessage = {
  alertId: '00000000-0000-4000-8000-000000000001',
  severity: 'extreme',
  isDrill: false,
  safetyRequest: true,
  texts: {
    ja: {
      title: '避難指示',
      body: 'ベンチ地区に避難指示を発令しました。直ちに安全な場所へ避難してください。',
    },
    en: { title: 'Evacuation order', body: 'An evacuation order has been issued for Bench. Evacuate now.' },
  },
  expiresAt: Date.now() + 24 * 3_600_000,
};

const token = (i: number) => `ceiling:${i}:${'x'.repeat(150)}`;

/**
 * The ceiling: the same HTTP/2 sender the fanout uses (same sessions, streams, batch size and batches in flight),
 * fed from memory: no queue, no database. Resolves to the time the first request left.
 */
export async function runCeiling(fake: TimedFakeFcm, fcmEnv: FcmEnv, messages: number): Promise<number> {
  const config = loadConfig('fanout', fcmEnv);
  const adapter = createFcmChannelAdapter(config);
  try {
    // warm-up outside the measurement: access token, sessions, JIT
    await adapter.send(
      [{ deliveryId: '1', endpointId: 'w', address: token(-1), language: 'ja' }],
      BENCH_MESSAGE,
    );
    await fake.clear();
    const batches = Math.ceil(messages / config.FANOUT_BATCH_SIZE);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: config.FANOUT_CONCURRENCY_FCM }, async () => {
        while (next < batches) {
          const b = next++;
          const from = b * config.FANOUT_BATCH_SIZE;
          const to = Math.min(messages, from + config.FANOUT_BATCH_SIZE);
          const targets = [];
          for (let i = from; i < to; i++) {
            targets.push({
              // delivery ids are positive bigints: the signed ack token refuses anything else
              deliveryId: String(i + 1),
              endpointId: String(i),
              address: token(i),
              language: i % 10 === 0 ? 'en' : 'ja',
            });
          }
          const outcomes = await adapter.send(targets, BENCH_MESSAGE);
          if (outcomes.some((o) => o.kind !== 'sent')) throw new Error('ceiling: a send was not accepted');
        }
      }),
    );
    return started;
  } finally {
    await adapter.onModuleDestroy();
  }
}

/**
 * NAIVE DESIGN, for comparison only — the shape docs/architecture.md §5 rules out. One BullMQ job per recipient
 * (carrying its token), and each job does one send and one INSERT of its own delivery row (autocommit), with a
 * generous worker concurrency. Two senders, measured in the same run:
 *
 * - `firebase-admin` (the baseline): the job calls `getMessaging(app).send(message)`, the library's per-message
 *   path — what the naive design is when written with the project's FCM library as documented. firebase-admin
 *   sends one HTTP/1.1 request per message (its `sendEach` uses HTTP/2, but opens a session per call). It goes
 *   to the same fake, through the `httpAgent` app option: an agent like Node's global one (keep-alive) whose
 *   connections go to the fake's port instead of fcm.googleapis.com:443, in the clear (no TLS, which only
 *   flatters the baseline).
 * - `bousai` (the same-sender baseline): the job gets every advantage the engine has on the sending side, our
 *   long-lived HTTP/2 session pool, so the gap to it is the queue and database design alone.
 */
const NaiveDeliverJob = defineJob({
  name: 'bench.naive-deliver-one',
  queue: QueueName.DeliveryFcm,
  version: 1,
  schema: z.object({ alertId: z.string().uuid(), endpointId: z.string().uuid(), address: z.string() }),
  options: { attempts: 3, removeOnComplete: true },
  jobId: ({ alertId, endpointId }) => `naive-${alertId}-${endpointId}`,
});

export const NAIVE_CONCURRENCY = 50;

export type NaiveSenderKind = 'firebase-admin' | 'bousai';

export interface NaiveRun {
  started: number;
  processed: number;
}

/** Sends one message for a naive job; resolves to whether the provider accepted it. */
interface NaiveSender {
  send(
    target: { deliveryId: string; endpointId: string; address: string },
    alertId: string,
  ): Promise<boolean>;
  close(): Promise<void>;
}

/** firebase-admin's connections go to the fake's port, as plain TCP; everything else is Node's default agent. */
class FakeFcmAgent extends HttpsAgent {
  constructor(private readonly port: number) {
    super({ keepAlive: true });
  }

  override createConnection(): Duplex {
    return netConnect(this.port, '127.0.0.1');
  }
}

function firebaseAdminSender(fcmEnv: FcmEnv, instance: string): NaiveSender {
  const config = loadConfig('fanout', fcmEnv);
  const keyFile = config.FCM_CREDENTIALS_FILE;
  if (!keyFile) throw new Error('the firebase-admin baseline needs FCM_CREDENTIALS_FILE');
  const key = JSON.parse(readFileSync(keyFile, 'utf8')) as ServiceAccountKey;
  const agent = new FakeFcmAgent(Number(new URL(config.FCM_BASE_URL).port));
  const app = initializeApp(
    {
      credential: new ServiceAccountJwtCredential(key, config.FCM_TOKEN_URL),
      projectId: config.FCM_PROJECT_ID ?? key.project_id,
      httpAgent: agent,
    },
    instance,
  );
  const messaging = getMessaging(app);
  const secret = config.ACK_TOKEN_SECRET;
  const ttlMs = config.ACK_TOKEN_TTL_SECONDS * 1_000;
  return {
    async send({ deliveryId, address }, alertId) {
      const now = Date.now();
      // signed as the engine's adapter signs it, so both do the same work per message
      const ackToken = secret
        ? signDeliveryAckToken({ deliveryId, expiresAt: now + ttlMs }, secret)
        : undefined;
      try {
        await messaging.send(
          buildFcmMessage(address, { ...BENCH_MESSAGE, alertId }, 'ja', now, { deliveryId, ackToken }),
        );
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await deleteApp(app);
      agent.destroy();
    },
  };
}

function bousaiSender(fcmEnv: FcmEnv): NaiveSender {
  const adapter = createFcmChannelAdapter(loadConfig('fanout', fcmEnv));
  return {
    async send(target, alertId) {
      const [outcome] = await adapter.send([{ ...target, language: 'ja' }], { ...BENCH_MESSAGE, alertId });
      return outcome.kind === 'sent';
    },
    close: () => adapter.onModuleDestroy(),
  };
}

export async function runNaiveBaseline(
  fake: TimedFakeFcm,
  world: BenchWorld,
  fcmEnv: FcmEnv,
  redisUrl: string,
  prefix: string,
  recipients: number,
  kind: NaiveSenderKind,
): Promise<NaiveRun> {
  const ds = world.dataSource;
  const [{ id: alertId }] = await ds.query<{ id: string }[]>(
    `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status)
     VALUES ($1, 'operator', $2, 'extreme', '{"all":true}', '{fcm}', 'sent') RETURNING id`,
    [world.municipalityId, JSON.stringify(BENCH_MESSAGE.texts)],
  );
  const endpoints = await ds.query<{ id: string; address: string }[]>(
    `SELECT id, address FROM endpoint WHERE municipality_id = $1 AND channel = 'fcm' ORDER BY id LIMIT $2`,
    [world.municipalityId, recipients],
  );
  const sender =
    kind === 'firebase-admin' ? firebaseAdminSender(fcmEnv, `naive-${alertId}`) : bousaiSender(fcmEnv);
  const producer = new QueueProducer({ redisUrl, prefix });
  const workers = new QueueWorkers({ redisUrl, prefix });
  let processed = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const processor: JobProcessor<(typeof NaiveDeliverJob)['schema']> = {
    contract: NaiveDeliverJob,
    queue: NaiveDeliverJob.queue,
    name: NaiveDeliverJob.name,
    async process({ alertId: a, endpointId, address }) {
      // delivery ids are positive bigints: the signed ack token refuses anything else
      const sent = await sender.send({ deliveryId: String(processed + 1), endpointId, address }, a);
      await ds.query(
        `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, status, attempts, sent_at)
         VALUES ($1, $2, $3, 0, $4, 1, now())`,
        [a, endpointId, Channel.Fcm, sent ? DeliveryStatus.Sent : DeliveryStatus.Failed],
      );
      if (++processed === endpoints.length) allDone();
    },
  };
  try {
    producer.connect();
    const probe = { alertId, endpointId: alertId, address: 'probe' };
    for (let i = 0; i < 50 && !(await producerReady(producer, probe)); i++) await sleep(100);
    // warm-up outside the measurement: access token and connections
    if (!(await sender.send({ deliveryId: '1', endpointId: alertId, address: 'warm-up' }, alertId)))
      throw new Error(`naive baseline (${kind}): the warm-up message was not accepted`);
    await fake.clear();
    workers.start([processor], () => NAIVE_CONCURRENCY);
    const started = Date.now();
    await producer.enqueueMany(
      NaiveDeliverJob,
      endpoints.map((e) => ({ alertId, endpointId: e.id, address: e.address })),
    );
    await done;
    return { started, processed };
  } finally {
    await workers.close();
    await producer.close();
    await sender.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The producer connects in the background; asking Redis about a job tells when it is ready. */
async function producerReady(
  producer: QueueProducer,
  probe: { alertId: string; endpointId: string; address: string },
): Promise<boolean> {
  try {
    await producer.presence(NaiveDeliverJob, probe);
    return true;
  } catch {
    return false;
  }
}
