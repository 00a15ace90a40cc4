import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Channel } from '@bousai/domain';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '@bousai/testing';
import { FanoutModule } from '../../../apps/fanout/src/fanout.module';
import {
  alertRow,
  deliveries,
  dropQueueKeys,
  eventually,
  FAST_FANOUT,
  RecordingAdapter,
  REDIS_URL,
  Seeder,
  waitForStatus,
} from './support/fanout-harness';

jest.setTimeout(40_000);

/** A resident's endpoints by channel. */
type Means = Partial<Record<Channel, string>>;

describe('channel fallback', () => {
  let db: TestDatabase;
  let prefix: string;
  let app: INestApplication;
  let seed: Seeder;
  const adapters = {
    fcm: new RecordingAdapter(Channel.Fcm),
    line: new RecordingAdapter(Channel.Line),
    email: new RecordingAdapter(Channel.Email),
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testQueuePrefix();
    seed = new Seeder(db);
    app = await NestFactory.create(
      FanoutModule.forRoot(
        {
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: db.url,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          ...FAST_FANOUT,
          FANOUT_FALLBACK_SCAN_MS: '100',
        },
        { adapters: Object.values(adapters) },
      ),
      { logger: false },
    );
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await dropQueueKeys(prefix);
    await db?.drop();
  });

  async function municipality(channelFallback?: Record<string, unknown>): Promise<string> {
    const id = await seed.municipality();
    if (channelFallback) {
      await db.dataSource.query(`UPDATE municipality SET settings = $2 WHERE id = $1`, [
        id,
        JSON.stringify({ channelFallback }),
      ]);
    }
    return id;
  }

  /** A resident with one endpoint per channel named (email confirmed), and an optional own order. */
  async function resident(mid: string, channels: Channel[], channelOrder?: Channel[]): Promise<Means> {
    const rid = await seed.resident(mid, { householdId: await seed.household(mid, null) });
    if (channelOrder) {
      await db.dataSource.query(`UPDATE resident SET channel_order = $2 WHERE id = $1`, [rid, channelOrder]);
    }
    const means: Means = {};
    for (const channel of channels) {
      const address =
        channel === Channel.Line
          ? `U${randomBytes(16).toString('hex')}`
          : channel === Channel.Email
            ? `${randomBytes(6).toString('hex')}@example.jp`
            : `tok-${randomBytes(8).toString('hex')}`;
      const [{ id }] = await db.dataSource.query<{ id: string }[]>(
        `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'email' THEN now() END) RETURNING id`,
        [mid, rid, channel, address],
      );
      means[channel] = id;
    }
    return means;
  }

  const sentTo = (endpointId: string | undefined) =>
    Object.values(adapters)
      .flatMap((a) => a.sentEndpointIds())
      .filter((id) => id === endpointId).length;

  it('ordered: one channel at a time, the next after a permanent failure or no acknowledgement in time', async () => {
    const mid = await municipality({
      order: ['fcm', 'line', 'email'],
      ackTimeoutSeconds: 1,
      modeBySeverity: { extreme: 'ordered' },
    });
    const failing = await resident(mid, [Channel.Fcm, Channel.Line, Channel.Email]);
    const acknowledged = await resident(mid, [Channel.Fcm, Channel.Line]);
    const ownOrder = await resident(mid, [Channel.Fcm, Channel.Email], [Channel.Email, Channel.Fcm]);
    const onlyApp = await resident(mid, [Channel.Fcm]);
    adapters.fcm.decide = (t) =>
      t.endpointId === failing.fcm || t.endpointId === onlyApp.fcm
        ? { deliveryId: t.deliveryId, kind: 'failed', errorCode: 'UNREGISTERED', endpointDead: true }
        : t.endpointId === acknowledged.fcm
          ? { deliveryId: t.deliveryId, kind: 'delivered', at: Date.now() }
          : { deliveryId: t.deliveryId, kind: 'sent' };
    adapters.email.decide = (t) =>
      t.endpointId === ownOrder.email
        ? { deliveryId: t.deliveryId, kind: 'delivered', at: Date.now() }
        : { deliveryId: t.deliveryId, kind: 'sent' };

    const alertId = await seed.alert(mid, {
      targeting: { all: true },
      channels: [Channel.Fcm, Channel.Line, Channel.Email],
    });

    // the failing resident goes app → LINE (app failed) → email (LINE accepted, no device said it arrived)
    await eventually(() => sentTo(failing.email) === 1, 30_000);
    await waitForStatus(db, alertId, 'sent');

    expect([failing.fcm, failing.line, failing.email].map(sentTo)).toEqual([1, 1, 1]);
    expect([acknowledged.fcm, acknowledged.line].map(sentTo)).toEqual([1, 0]);
    expect([ownOrder.email, ownOrder.fcm].map(sentTo)).toEqual([1, 0]);
    expect(sentTo(onlyApp.fcm)).toBe(1);

    const times = await db.dataSource.query<
      { endpointId: string; queuedAt: Date; sentAt: Date | null; failedAt: Date | null }[]
    >(
      `SELECT endpoint_id AS "endpointId", queued_at AS "queuedAt", sent_at AS "sentAt", failed_at AS "failedAt"
         FROM delivery WHERE alert_id = $1`,
      [alertId],
    );
    const at = new Map(times.map((t) => [t.endpointId, t]));
    expect(at.get(failing.line!)!.queuedAt.getTime()).toBeGreaterThanOrEqual(
      at.get(failing.fcm!)!.failedAt!.getTime(),
    );
    // planned only once the LINE message had gone unacknowledged for the whole timeout
    expect(at.get(failing.email!)!.queuedAt.getTime()).toBeGreaterThanOrEqual(
      at.get(failing.line!)!.sentAt!.getTime() + 1_000,
    );

    const rows = await deliveries(db, alertId);
    expect(rows).toHaveLength(6);
    const alert = await alertRow(db, alertId);
    expect(alert.counters.planned).toEqual({ fcm: 3, line: 1, email: 2 });
    expect(alert.counters.fanout).toEqual({ queued: 0 });
  });

  it('parallel (the default): every channel of a resident at once', async () => {
    const mid = await municipality();
    const both = await resident(mid, [Channel.Fcm, Channel.Line, Channel.Email]);
    adapters.fcm.decide = (t) => ({ deliveryId: t.deliveryId, kind: 'delivered', at: Date.now() });

    const alertId = await seed.alert(mid, {
      targeting: { all: true },
      channels: [Channel.Fcm, Channel.Line, Channel.Email],
    });
    await waitForStatus(db, alertId, 'sent');

    expect([both.fcm, both.line, both.email].map(sentTo)).toEqual([1, 1, 1]);
  });
});
