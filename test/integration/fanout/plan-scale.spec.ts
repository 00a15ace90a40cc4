import { Channel } from '@bousai/domain';
import { DeliveryPlanRepository } from '@bousai/persistence';
import { PlanAlertUseCase } from '../../../apps/fanout/src/plan/plan-alert.use-case';
import {
  alertRow,
  deliveries,
  eventually,
  type FanoutHarness,
  startFanout,
  waitForStatus,
} from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(60_000);

const N = 12_000;

describe(`${PlanAlertUseCase.name}: a large audience`, () => {
  let sut: FanoutHarness;
  let m: string;
  let endpoints: string[];

  beforeAll(async () => {
    sut = await startFanout({ FANOUT_PLAN_CHUNK_SIZE: '5000', FANOUT_BATCH_SIZE: '500' });
    m = await sut.seed.municipality();
    endpoints = await sut.seed.bulkFcm(m, await sut.seed.area(m), N);
    await sut.db.dataSource.query('ANALYZE');
  });
  afterAll(async () => {
    await sut.close();
  });

  it('plans in bounded chunks and sends the first batches before the last chunk is planned', async () => {
    const plans = sut.app.get(DeliveryPlanRepository);
    const chunk = plans.planAudienceChunk.bind(plans);
    let chunkCalls = 0;
    let firstSendBeforeChunk2 = false;
    const spy = jest.spyOn(plans, 'planAudienceChunk').mockImplementation(async (req) => {
      if (++chunkCalls === 2) {
        // hold the second chunk until the first chunk's batches have reached the sender
        await eventually(() => sut.adapters.fcm.calls.some((c) => c.message.alertId === req.alertId));
        firstSendBeforeChunk2 = true;
      }
      return chunk(req);
    });
    try {
      const alertId = await sut.seed.alert(m, {
        targeting: { all: true },
        channels: [Channel.Fcm],
        outbox: false,
      });
      const t0 = performance.now();
      const result = await sut.app.get(PlanAlertUseCase).execute(alertId);
      const planned = performance.now();
      await waitForStatus(sut.db, alertId, 'sent', 60_000);
      const done = performance.now();

      // a first chunk of one small batch (100 endpoints, sent while the rest is planned), then 5,000 + 5,000 +
      // 1,900: four statements, 1 + 10 + 10 + 4 batches, never the whole audience at once
      expect(result).toEqual({ outcome: 'planned', planned: { fcm: N }, batches: 25, chunks: 4 });
      expect(firstSendBeforeChunk2).toBe(true);
      const rows = await deliveries(sut.db, alertId);
      expect(rows).toHaveLength(N);
      const perBatch = new Map<number, number>();
      for (const r of rows) perBatch.set(r.batchNo, (perBatch.get(r.batchNo) ?? 0) + 1);
      expect([...perBatch.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(perBatch.get(0)).toBe(100);
      expect(Math.max(...perBatch.values())).toBe(500);
      const sent = sut.adapters.fcm.sentEndpointIds((c) => c.message.alertId === alertId);
      expect(sent).toHaveLength(N);
      expect(new Set(sent)).toEqual(new Set(endpoints));
      expect((await alertRow(sut.db, alertId)).counters).toMatchObject({
        planned: { fcm: N },
        fanout: { queued: 0 },
      });

      console.log(
        `fan-out of ${N} endpoints (no-op sender, 500 per batch, 8 workers): ` +
          `plan ${Math.round(planned - t0)} ms (incl. the held chunk), plan → every batch sent ${Math.round(done - t0)} ms`,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('plans and sends without holding anything: timing', async () => {
    const alertId = await sut.seed.alert(m, { targeting: { all: true }, channels: [Channel.Fcm] });
    const t0 = performance.now();
    await waitForStatus(sut.db, alertId, 'sent', 60_000);
    const ms = Math.round(performance.now() - t0);
    expect(await deliveries(sut.db, alertId)).toHaveLength(N);
    console.log(
      `outbox → ${N} deliveries sent and recorded, alert sent: ${ms} ms (${Math.round((N / ms) * 1000)}/s)`,
    );
  });
});
