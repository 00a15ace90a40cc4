import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type WebPushPayload } from '@bousai/channels';
import { generateVapidKeys } from '@bousai/channels/senders';
import { Channel, verifyDeliveryAckToken } from '@bousai/domain';
import {
  createTestDatabase,
  FAKE_PUSH_EGRESS_ENV,
  FakePushService,
  FakeSmtpServer,
  testQueuePrefix,
  type FakePushSubscription,
  type TestDatabase,
} from '@bousai/testing';
import { ChannelRegistry } from '../../../apps/fanout/src/channels/channel-registry';
import { FanoutModule } from '../../../apps/fanout/src/fanout.module';
import {
  deliveries,
  dropQueueKeys,
  FAST_FANOUT,
  REDIS_URL,
  Seeder,
  waitForStatus,
} from './support/fanout-harness';

jest.setTimeout(30_000);

const ACK_SECRET = 'multichannel-ack-secret-0123456789abcdef';

/**
 * The real engine with the real Web Push and email senders (FANOUT_CHANNELS=webpush,email), against a fake push
 * service that decrypts every message and a real SMTP server: outbox → plan → batches → providers → rows.
 */
describe('fan-out over Web Push and email', () => {
  const vapid = generateVapidKeys();
  let db: TestDatabase;
  let prefix: string;
  let app: INestApplication;
  let push: FakePushService;
  let smtp: FakeSmtpServer;
  let seed: Seeder;
  let municipalityId: string;

  const subscriptions = new Map<string, FakePushSubscription>();
  const addresses = new Map<string, string>();

  async function webPushEndpoint(residentId: string): Promise<string> {
    const sub = push.createSubscription();
    const rows = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, subscription)
       VALUES ($1, $2, 'webpush', $3, $4) RETURNING id`,
      [municipalityId, residentId, sub.endpoint, JSON.stringify({ endpoint: sub.endpoint, keys: sub.keys })],
    );
    subscriptions.set(rows[0].id, sub);
    return rows[0].id;
  }

  async function emailEndpoint(residentId: string, confirmed = true): Promise<string> {
    const address = `r-${residentId.slice(0, 8)}-${addresses.size}@example.jp`;
    const rows = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
       VALUES ($1, $2, 'email', $3, $4) RETURNING id`,
      [municipalityId, residentId, address, confirmed ? new Date() : null],
    );
    addresses.set(rows[0].id, address);
    return rows[0].id;
  }

  async function endpointStatus(id: string): Promise<{ status: string; deadReason: string | null }> {
    const rows = await db.dataSource.query<{ status: string; deadReason: string | null }[]>(
      `SELECT status, dead_reason AS "deadReason" FROM endpoint WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testQueuePrefix();
    push = await FakePushService.start({ vapidPublicKey: vapid.publicKey });
    smtp = await FakeSmtpServer.start();
    app = await NestFactory.create(
      FanoutModule.forRoot({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.url,
        DATABASE_POOL_SIZE: '8',
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        ...FAST_FANOUT,
        FANOUT_BATCH_SIZE: '50',
        FANOUT_CHANNELS: 'webpush,email',
        WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEBPUSH_VAPID_SUBJECT: 'mailto:bousai@city.example.jp',
        WEBPUSH_TLS_INSECURE: 'true',
        ...FAKE_PUSH_EGRESS_ENV,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'bousai@city.example.jp',
        WEBPUSH_ACK_URL: 'https://bousai.example.jp/v1/acks/signed',
        ACK_TOKEN_SECRET: ACK_SECRET,
      }),
      { logger: false },
    );
    await app.init();
    seed = new Seeder(db);
    municipalityId = await seed.municipality();
  });

  afterAll(async () => {
    await app.close();
    await dropQueueKeys(prefix);
    await db.drop();
    await push.close();
    await smtp.close();
  });

  it('wires the real Web Push and email senders FANOUT_CHANNELS names', () => {
    expect(app.get(ChannelRegistry).channels()).toEqual([Channel.WebPush, Channel.Email]);
  });

  it('delivers every endpoint once, marks gone subscriptions and refused addresses dead, retries 429', async () => {
    const areaId = await seed.area(municipalityId);
    const webpush: string[] = [];
    const email: string[] = [];
    for (let i = 0; i < 120; i++) {
      const householdId = await seed.household(municipalityId, areaId);
      const residentId = await seed.resident(municipalityId, {
        householdId,
        language: i % 3 === 0 ? 'en' : 'ja',
      });
      webpush.push(await webPushEndpoint(residentId));
      if (i % 2 === 0) email.push(await emailEndpoint(residentId));
    }
    const unconfirmed = await emailEndpoint(await seed.resident(municipalityId), false);
    const [gone, notFound, limited] = webpush;
    push.setBehaviour(subscriptions.get(gone)!.id, { kind: 'gone' });
    push.setBehaviour(subscriptions.get(notFound)!.id, { kind: 'not-found' });
    push.setBehaviour(subscriptions.get(limited)!.id, {
      kind: 'rate-limited',
      retryAfterSeconds: 1,
      times: 1,
    });
    const [refused, deferred] = email;
    smtp.setBehaviour(addresses.get(refused)!, { kind: 'reject', code: 550, enhanced: '5.1.1' });
    smtp.setBehaviour(addresses.get(deferred)!, { kind: 'defer', code: 451, times: 1 });

    const alertId = await seed.alert(municipalityId, {
      targeting: { all: true },
      channels: [Channel.WebPush, Channel.Email],
    });
    await waitForStatus(db, alertId, 'sent');

    const rows = await deliveries(db, alertId);
    const byEndpoint = new Map(rows.map((r) => [r.endpointId, r]));
    expect(rows).toHaveLength(webpush.length + email.length);
    expect(byEndpoint.has(unconfirmed)).toBe(false);
    expect(byEndpoint.get(gone)).toMatchObject({ status: 'failed', errorCode: 'GONE' });
    expect(byEndpoint.get(notFound)).toMatchObject({ status: 'failed', errorCode: 'NOT_FOUND' });
    expect(byEndpoint.get(refused)).toMatchObject({ status: 'failed', errorCode: 'SMTP_550_5.1.1' });
    expect(byEndpoint.get(limited)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(byEndpoint.get(deferred)).toMatchObject({ status: 'sent', attempts: 2 });
    const failed = new Set([gone, notFound, refused]);
    expect(rows.filter((r) => !failed.has(r.endpointId)).every((r) => r.status === 'sent')).toBe(true);
    // batches of FANOUT_BATCH_SIZE per channel
    expect(new Set(rows.filter((r) => r.channel === 'webpush').map((r) => r.batchNo)).size).toBe(3);

    for (const id of [gone, notFound, refused]) expect((await endpointStatus(id)).status).toBe('dead');
    expect((await endpointStatus(limited)).status).toBe('active');
    expect((await endpointStatus(deferred)).status).toBe('active');

    // what the providers got: each live endpoint exactly once, with its own delivery id, in its language
    expect(push.stats()).toMatchObject({ accepted: webpush.length - 2, duplicates: 0, distinctJwts: 1 });
    expect(smtp.stats()).toMatchObject({ accepted: email.length - 1, duplicates: 0 });
    const en = webpush[3];
    const [got] = push.receivedFor(subscriptions.get(en)!.id);
    const payload = JSON.parse(got.payload) as WebPushPayload;
    expect(payload).toMatchObject({
      alertId,
      deliveryId: byEndpoint.get(en)!.id,
      title: 'Evacuate',
      isDrill: false,
    });
    expect(got).toMatchObject({ urgency: 'high' });
    // the service worker can acknowledge exactly this delivery with what the payload carries
    expect(verifyDeliveryAckToken(payload.ackToken!, ACK_SECRET).deliveryId).toBe(byEndpoint.get(en)!.id);
    const [mail] = smtp.receivedFor(addresses.get(email[2])!);
    expect(mail.headers.get('x-bousai-delivery-id')).toBe(byEndpoint.get(email[2])!.id);
  });
});
