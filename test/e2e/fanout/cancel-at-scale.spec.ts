import { Role } from '@bousai/domain';
import {
  alertOf,
  approveAndSend,
  countBy,
  dataOf,
  deliveryViews,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from './support/fanout-stack';

// seeding and fanning out 50k rows through HTTP/2 on a shared 2-core box; nothing here asserts on time
jest.setTimeout(180_000);

const AUDIENCE = 50_000;
const CONCURRENCY = 4;
const BATCH = 500;

describe('cancel during a 50k fan-out, through the real FCM sender and the fake', () => {
  let sut: Stack;

  beforeAll(async () => {
    sut = await startStack({
      fanout: {
        FANOUT_CHANNELS: 'fcm',
        FANOUT_CONCURRENCY_FCM: String(CONCURRENCY),
        FANOUT_BATCH_SIZE: String(BATCH),
        // the client-side token bucket at 1.5k messages/s, and planning in large chunks: the audience is planned
        // long before most of it is sent, so the cancel lands mid-run even on a busy CI box
        FCM_QUOTA_PER_MINUTE: '90000',
        FANOUT_PLAN_CHUNK_SIZE: '5000',
      },
    });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('stops every batch not yet sent and sends the notice to exactly those already reached', async () => {
    const m = sut.api.tenants[0].municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, AUDIENCE);
    const alertId = await submitted(sut, {
      texts: {
        ja: { title: '避難指示', body: '直ちに避難してください。' },
        en: { title: 'Evacuate', body: 'Now.' },
      },
      targeting: { areaIds: [areaId] },
      channels: ['fcm'],
    });
    await approveAndSend(sut, alertId);
    const ofAlert = () => sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId);

    // mid-run: fully planned, a few thousand out, most still to go
    await eventually(async () => (await alertOf(sut, alertId)).counters.planned !== undefined, 60_000);
    await eventually(() => ofAlert().length >= 3_000, 60_000);
    const cancel = await sut.api.http
      .post(`${sut.alerts()}/${alertId}/cancel`)
      .set(...(await sut.auth(Role.Operator)));
    expect(cancel.body).toMatchObject({ status: 'cancelled' });
    // the cancel has committed: from here on no batch claims a row (see LIVE_ALERT_CTE)
    const committedAt = Date.now();

    const noticeId = await eventually(async () => (await noticeOf(alertId)) !== undefined, 60_000).then(
      async () => (await noticeOf(alertId))!,
    );
    await waitForAlert(sut, noticeId, 'sent');
    await eventually(async () => (await deliveryViews(sut, alertId)).every((r) => r.status !== 'queued'));

    // every row planned; the ones sent went out once each, every other one is cancelled without an attempt
    const rows = await deliveryViews(sut, alertId);
    expect(rows).toHaveLength(AUDIENCE);
    const sent = rows.filter((r) => r.status === 'sent');
    const cancelled = rows.filter((r) => r.status === 'cancelled');
    expect(sent.length + cancelled.length).toBe(AUDIENCE);
    expect(cancelled.length).toBeGreaterThan(AUDIENCE / 2);
    expect(cancelled.every((r) => r.attempts === 0)).toBe(true);
    const received = ofAlert();
    expect(countBy(received, (r) => r.token)).toEqual(Object.fromEntries(sent.map((r) => [r.address, 1])));

    // after the commit only what was already claimed by a running batch could still leave
    const late = received.filter((r) => r.receivedAt > committedAt);
    expect(late.length).toBeLessThanOrEqual(CONCURRENCY * BATCH);

    // the notice: once to each endpoint reached, withdrawing the original; nobody else
    const notices = sut.fcm.server.received.filter((r) => dataOf(r).alertId === noticeId);
    expect(countBy(notices, (r) => r.token)).toEqual(Object.fromEntries(sent.map((r) => [r.address, 1])));
    expect(notices.every((r) => dataOf(r).cancelsAlertId === alertId)).toBe(true);
    expect((await alertOf(sut, alertId)).status).toBe('cancelled');
    expect((await alertOf(sut, noticeId)).counters.planned).toEqual({ fcm: sent.length });
  });

  async function noticeOf(alertId: string): Promise<string | undefined> {
    const rows = await sut.api.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM alert WHERE cancels_alert_id = $1`,
      [alertId],
    );
    return rows[0]?.id;
  }
});
