import { Channel } from '@bousai/domain';
import {
  alertRow,
  deliveries,
  type FanoutHarness,
  startFanout,
  waitForStatus,
} from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(30_000);

describe('fan-out: outbox → plan → batches → sent', () => {
  let sut: FanoutHarness;
  let municipalityId: string;
  let fcmEndpoints: string[];
  let receiverEndpoints: string[];

  beforeAll(async () => {
    sut = await startFanout({
      FANOUT_PLAN_CHUNK_SIZE: '1000',
      // whole chunks from the first, so batches hold 500 each (the small first chunk: plan-scale.spec)
      FANOUT_FIRST_CHUNK_SIZE: '1000',
    });
    municipalityId = await sut.seed.municipality();
    const areaId = await sut.seed.area(municipalityId);
    fcmEndpoints = await sut.seed.bulkFcm(municipalityId, areaId, 2_345);
    receiverEndpoints = [];
    for (let i = 0; i < 30; i++) {
      receiverEndpoints.push(
        await sut.seed.receiver(municipalityId, await sut.seed.household(municipalityId, areaId)),
      );
    }
  });
  afterAll(async () => {
    await sut.close();
  });

  it('sends every endpoint exactly once, in batches of at most 500, and completes the alert', async () => {
    const alertId = await sut.seed.alert(municipalityId, { targeting: { all: true } });

    await waitForStatus(sut.db, alertId, 'sent');

    const fcmSent = sut.adapters.fcm.sentEndpointIds();
    expect(fcmSent).toHaveLength(fcmEndpoints.length);
    expect(new Set(fcmSent)).toEqual(new Set(fcmEndpoints));
    expect(new Set(sut.adapters.receiver.sentEndpointIds())).toEqual(new Set(receiverEndpoints));
    for (const call of [...sut.adapters.fcm.calls, ...sut.adapters.receiver.calls]) {
      expect(call.targets.length).toBeLessThanOrEqual(500);
      expect(call.message).toMatchObject({ alertId, severity: 'extreme', isDrill: false });
      expect(call.message.texts.ja.title).toBe('避難指示');
    }

    const rows = await deliveries(sut.db, alertId);
    expect(rows).toHaveLength(fcmEndpoints.length + receiverEndpoints.length);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.language === 'ja')).toBe(true);
    const perBatch = new Map<string, number>();
    for (const r of rows)
      perBatch.set(`${r.channel}/${r.batchNo}`, (perBatch.get(`${r.channel}/${r.batchNo}`) ?? 0) + 1);
    expect(Math.max(...perBatch.values())).toBeLessThanOrEqual(500);
    // 2,345 endpoints read 1,000 at a time: two full chunks of two full batches each, then 345 rows in one
    expect([...perBatch.keys()].filter((k) => k.startsWith('fcm/')).length).toBe(5);

    const alert = await alertRow(sut.db, alertId);
    expect(alert.sentAt).toBeInstanceOf(Date);
    expect(alert.counters.planned).toEqual({
      [Channel.Receiver]: receiverEndpoints.length,
      [Channel.Fcm]: fcmEndpoints.length,
    });
    expect(alert.counters.fanout).toEqual({ queued: 0 });
    const outbox = await sut.db.dataSource.query<{ dispatchedAt: Date | null }[]>(
      `SELECT dispatched_at AS "dispatchedAt" FROM outbox WHERE job_id = $1`,
      [`plan-${alertId}`],
    );
    expect(outbox[0].dispatchedAt).toBeInstanceOf(Date);
  });

  it('completes at once an alert whose audience is empty', async () => {
    const alertId = await sut.seed.alert(municipalityId, {
      targeting: { areaIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    await waitForStatus(sut.db, alertId, 'sent');
    expect((await alertRow(sut.db, alertId)).counters.planned).toEqual({ receiver: 0, fcm: 0 });
  });

  it('sends nothing on channels without a sender, and still lists them as planned', async () => {
    const alertId = await sut.seed.alert(municipalityId, {
      targeting: { all: true },
      channels: [Channel.Email, Channel.WebPush],
    });
    await waitForStatus(sut.db, alertId, 'sent');
    // nobody here has an email or web push endpoint; see unserved-channels.spec.ts for those who do
    expect(await deliveries(sut.db, alertId)).toEqual([]);
    expect((await alertRow(sut.db, alertId)).counters.planned).toEqual({ webpush: 0, email: 0 });
  });
});
