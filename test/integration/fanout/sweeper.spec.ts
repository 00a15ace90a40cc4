import { Channel } from '@bousai/domain';
import { DeliveryPlanRepository, FanoutAlertRepository } from '@bousai/persistence';
import { FanoutSweeper } from '../../../apps/fanout/src/sweeper/fanout.sweeper';
import {
  alertRow,
  deliveries,
  type FanoutHarness,
  startFanout,
  waitForStatus,
} from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(30_000);

describe(FanoutSweeper.name, () => {
  let sut: FanoutHarness;
  let sweeper: FanoutSweeper;
  const everyone = { everywhere: true, areaIds: [], jmaCodes: [], householdIds: [], groups: [] };

  beforeAll(async () => {
    sut = await startFanout({ FANOUT_SWEEP_DEADLINE_MS: '1000' });
    sweeper = sut.app.get(FanoutSweeper);
  });
  afterAll(async () => {
    await sut.close();
  });

  async function town(n: number) {
    const m = await sut.seed.municipality();
    const areaId = await sut.seed.area(m);
    const endpoints = await sut.seed.bulkFcm(m, areaId, n);
    return { m, endpoints };
  }

  it('queues again batches whose rows were planned but whose jobs never reached Redis', async () => {
    const { m, endpoints } = await town(700);
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      outbox: false,
    });
    // a planner that wrote its chunk and recorded the plan, then lost its enqueue
    await sut.app.get(DeliveryPlanRepository).planAudienceChunk({
      alertId,
      municipalityId: m,
      channel: Channel.Fcm,
      audience: everyone,
      after: null,
      limit: 5_000,
      firstBatchNo: 0,
      batchSize: 500,
    });
    await sut.app.get(FanoutAlertRepository).recordPlanned(alertId, [Channel.Fcm]);

    expect(await sweeper.sweep()).toMatchObject({ batchesRequeued: 0 }); // not past the deadline yet
    await sut.db.dataSource.query(
      `UPDATE delivery SET queued_at = now() - interval '1 minute' WHERE alert_id = $1`,
      [alertId],
    );
    expect(await sweeper.sweep()).toMatchObject({ batchesRequeued: 2 });

    await waitForStatus(sut.db, alertId, 'sent');
    const sent = sut.adapters.fcm.sentEndpointIds((c) => c.message.alertId === alertId);
    expect(sent).toHaveLength(700);
    expect(new Set(sent)).toEqual(new Set(endpoints));
    expect(await sweeper.sweep()).toMatchObject({ batchesRequeued: 0, completed: 0 });
  });

  it('queues the plan again when an alert was handed over but never planned', async () => {
    const { m } = await town(10);
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      outbox: false,
    });
    await sut.db.dataSource.query(
      `UPDATE alert SET dispatched_at = now() - interval '1 minute' WHERE id = $1`,
      [alertId],
    );
    expect(await sweeper.sweep()).toMatchObject({ plansRequeued: 1 });
    await waitForStatus(sut.db, alertId, 'sent');
    expect(await deliveries(sut.db, alertId)).toHaveLength(10);
  });

  it('completes an alert whose rows were all settled by someone else before their batch ran', async () => {
    const { m } = await town(3);
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      outbox: false,
    });
    await sut.app.get(DeliveryPlanRepository).planAudienceChunk({
      alertId,
      municipalityId: m,
      channel: Channel.Fcm,
      audience: everyone,
      after: null,
      limit: 5_000,
      firstBatchNo: 0,
      batchSize: 500,
    });
    await sut.app.get(FanoutAlertRepository).recordPlanned(alertId, [Channel.Fcm]);
    // e.g. receivers acknowledged on reconnect (store-and-forward): the rows moved on without the queued hint
    await sut.db.dataSource.query(`UPDATE delivery SET status = 'delivered' WHERE alert_id = $1`, [alertId]);
    expect((await alertRow(sut.db, alertId)).status).toBe('dispatching');
    expect(await sweeper.sweep()).toMatchObject({ completed: 1 });
    expect((await alertRow(sut.db, alertId)).status).toBe('sent');
  });

  it('counts rows a device acknowledged while their batch was in flight, without waiting for a sweep', async () => {
    const { m } = await town(3);
    sut.adapters.fcm.hold();
    const alertId = await sut.seed.alert(m, { targeting: { all: true }, channels: [Channel.Fcm] });
    await sut.adapters.fcm.calledTimes(sut.adapters.fcm.calls.length + 1);
    await sut.db.dataSource.query(`UPDATE delivery SET status = 'delivered' WHERE alert_id = $1`, [alertId]);
    sut.adapters.fcm.release();
    await waitForStatus(sut.db, alertId, 'sent', 5_000);
    expect((await deliveries(sut.db, alertId)).map((r) => r.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
  });
});
