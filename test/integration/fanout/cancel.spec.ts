import { AlertAction, Channel } from '@bousai/domain';
import { AlertRepository } from '@bousai/persistence';
import { CancelAlertUseCase } from '../../../apps/fanout/src/cancel/cancel-alert.use-case';
import {
  alertRow,
  deliveries,
  eventually,
  type FanoutHarness,
  type SendCall,
  startFanout,
  waitForStatus,
} from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(30_000);

describe(`${CancelAlertUseCase.name}: cancel means stop`, () => {
  let sut: FanoutHarness;

  beforeAll(async () => {
    // one batch at a time, so a cancel lands between batches of the same alert
    sut = await startFanout({
      FANOUT_CONCURRENCY_FCM: '1',
      FANOUT_PLAN_CHUNK_SIZE: '1000',
      // whole chunks from the first, so batch k holds endpoints 500k… (the small first chunk: plan-scale.spec)
      FANOUT_FIRST_CHUNK_SIZE: '1000',
    });
  });
  afterAll(async () => {
    await sut.close();
  });

  /** Holds the `n`-th send call (0-based) of an alert until the returned release is called. */
  function holdCall(alertId: string, n: number): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    sut.adapters.fcm.decide = async (t, call) => {
      const ofAlert = sut.adapters.fcm.calls.filter((c) => c.message.alertId === alertId);
      if (ofAlert.indexOf(call) === n) await gate;
      return { deliveryId: t.deliveryId, kind: 'sent' };
    };
    return release;
  }

  const callsOf = (alertId: string): SendCall[] =>
    sut.adapters.fcm.calls.filter((c) => c.message.alertId === alertId);

  it('cancels what is queued mid-run, sends nothing more, and notifies exactly those possibly reached', async () => {
    const m = await sut.seed.municipality();
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, 3_000);
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      isDrill: true,
      texts: {
        ja: { title: '【訓練】避難指示', body: '避難してください。' },
        en: { title: 'Evacuate', body: 'Now.' },
      },
    });
    const release = holdCall(alertId, 1);
    await eventually(() => callsOf(alertId).length === 2);
    await eventually(async () => (await alertRow(sut.db, alertId)).counters.planned !== undefined);

    // the operator cancels while the second batch is in flight (the api's transition: status + outbox row)
    await new AlertRepository(sut.db.dataSource).transition(m, alertId, AlertAction.Cancel, () => ({
      patch: { cancelledAt: new Date() },
      outbox: [{ topic: 'alert.cancel', payload: { alertId }, jobId: `cancel-${alertId}` }],
    }));
    await eventually(async () => (await deliveries(sut.db, alertId)).every((r) => r.status !== 'queued'));
    release();

    const notice = await eventually(async () => (await noticeOf(alertId)) !== undefined).then(() =>
      noticeOf(alertId),
    );
    await waitForStatus(sut.db, notice!, 'sent');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // the original: two batches went out (the second was in flight), the other four never did
    const [first, inFlight] = callsOf(alertId);
    expect(callsOf(alertId)).toHaveLength(2);
    const reached = new Set([...first.targets, ...inFlight.targets].map((t) => t.endpointId));
    expect(reached.size).toBe(1_000);
    const rows = await deliveries(sut.db, alertId);
    expect(
      rows
        .filter((r) => r.status === 'sent')
        .map((r) => r.endpointId)
        .sort(),
    ).toEqual([...reached].sort());
    expect(rows.filter((r) => r.status === 'cancelled')).toHaveLength(2_000);
    expect(rows.filter((r) => r.status === 'cancelled').every((r) => r.attempts === 0)).toBe(true);
    expect((await alertRow(sut.db, alertId)).status).toBe('cancelled');

    // the notice: once to each endpoint reached, marked as withdrawing the original, as a drill
    const noticeCalls = callsOf(notice!);
    const notified = noticeCalls.flatMap((c) => c.targets.map((t) => t.endpointId));
    expect(notified).toHaveLength(1_000);
    expect(new Set(notified)).toEqual(reached);
    for (const c of noticeCalls) {
      expect(c.message.cancelsAlertId).toBe(alertId);
      expect(c.message.isDrill).toBe(true);
      expect(c.message.texts.ja.title).toBe('【訓練】【取消】避難指示');
      expect(c.message.texts.en.title).toBe('[DRILL] [Cancelled] Evacuate');
    }
    expect((await alertRow(sut.db, notice!)).counters.planned).toEqual({ fcm: 1_000 });

    // a replayed cancel changes nothing and creates no second notice
    await expect(sut.app.get(CancelAlertUseCase).execute(alertId)).resolves.toEqual({
      cancelled: 0,
      noticeAlertId: notice,
    });
    expect(
      await sut.db.dataSource.query(`SELECT id FROM alert WHERE targeting->>'cancellationOf' = $1`, [
        alertId,
      ]),
    ).toHaveLength(1);
  });

  it('a cancel before anything went out cancels every row and sends no notice', async () => {
    const m = await sut.seed.municipality();
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, 20);
    const alertId = await sut.seed.alert(m, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      outbox: false,
    });
    await new AlertRepository(sut.db.dataSource).transition(m, alertId, AlertAction.Cancel, () => ({}));
    await sut.db.dataSource.query(
      `INSERT INTO outbox (topic, payload, job_id) VALUES ('alert.plan', $1, $2)`,
      [JSON.stringify({ alertId }), `plan-${alertId}`],
    );
    await expect(sut.app.get(CancelAlertUseCase).execute(alertId)).resolves.toEqual({ cancelled: 0 });
    await eventually(async () => {
      const r = await sut.db.dataSource.query<unknown[]>(
        `SELECT 1 FROM outbox WHERE job_id = $1 AND dispatched_at IS NOT NULL`,
        [`plan-${alertId}`],
      );
      return r.length === 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await deliveries(sut.db, alertId)).toEqual([]);
    expect(callsOf(alertId)).toHaveLength(0);
    expect(await noticeOf(alertId)).toBeUndefined();
  });

  it('a superseded alert stops: its remaining batches cancel their rows instead of sending', async () => {
    const m = await sut.seed.municipality();
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, 1_500);
    const alertId = await sut.seed.alert(m, { targeting: { all: true }, channels: [Channel.Fcm] });
    const release = holdCall(alertId, 0);
    await eventually(() => callsOf(alertId).length === 1);
    await eventually(async () => (await alertRow(sut.db, alertId)).counters.planned !== undefined);
    await new AlertRepository(sut.db.dataSource).transition(m, alertId, AlertAction.Supersede, () => ({}));
    release();

    await eventually(async () => (await deliveries(sut.db, alertId)).every((r) => r.status !== 'queued'));
    const rows = await deliveries(sut.db, alertId);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(500);
    expect(rows.filter((r) => r.status === 'cancelled')).toHaveLength(1_000);
    expect(callsOf(alertId)).toHaveLength(1);
    expect(await noticeOf(alertId)).toBeUndefined();
  });

  async function noticeOf(alertId: string): Promise<string | undefined> {
    const rows = await sut.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM alert WHERE targeting->>'cancellationOf' = $1`,
      [alertId],
    );
    return rows[0]?.id;
  }
});
