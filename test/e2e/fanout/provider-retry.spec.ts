import type { FakeFcmReceived } from '@bousai/testing';
import {
  approveAndSend,
  countBy,
  dataOf,
  deliveryViews,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from './support/fanout-stack';

// real Postgres, Redis, BullMQ and HTTP/2 on a shared box, plus a provider-imposed 2 s wait
jest.setTimeout(90_000);

const RETRY_AFTER_SECONDS = 2;

describe('retries through the real FCM sender: 429 with Retry-After, 500', () => {
  let sut: Stack;

  beforeAll(async () => {
    sut = await startStack({ fanout: { FANOUT_CHANNELS: 'fcm', FANOUT_MAX_ATTEMPTS: '6' } });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('sends again only what FCM refused, honours Retry-After, and ends with every delivery sent', async () => {
    const m = sut.api.tenants[0].municipalityId;
    const areaId = await sut.seed.area(m);
    await sut.seed.bulkFcm(m, areaId, 1_200);
    const tokens = (
      await sut.api.db.dataSource.query<{ address: string }[]>(
        `SELECT address FROM endpoint WHERE municipality_id = $1 AND channel = 'fcm' ORDER BY id`,
        [m],
      )
    ).map((r) => r.address);
    // spread over all three batches of 500
    const throttled = new Set(tokens.filter((_, i) => i % 30 === 0));
    const erroring = new Set(tokens.filter((_, i) => i % 30 === 15));
    for (const t of throttled) {
      sut.fcm.server.setBehaviour(t, { kind: 'quota', retryAfterSeconds: RETRY_AFTER_SECONDS, times: 1 });
    }
    for (const t of erroring) sut.fcm.server.setBehaviour(t, { kind: 'unavailable', status: 500, times: 2 });

    const alertId = await submitted(sut, {
      texts: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
      targeting: { areaIds: [areaId] },
      channels: ['fcm'],
    });
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');

    const arrivals = new Map<string, FakeFcmReceived[]>();
    for (const r of sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId)) {
      arrivals.set(r.token, [...(arrivals.get(r.token) ?? []), r]);
    }
    // the refused ones came back (once per refusal), nobody else was sent anything twice
    expect(arrivals.size).toBe(tokens.length);
    for (const t of tokens) {
      expect([t, arrivals.get(t)!.map((r) => r.status)]).toEqual([
        t,
        throttled.has(t) ? [429, 200] : erroring.has(t) ? [500, 500, 200] : [200],
      ]);
    }
    // not before the time FCM asked for: the retry arrived at least Retry-After after the refusal was answered
    // (both times are the fake's own clock; the refusal left the fake when it was recorded)
    for (const t of throttled) {
      const [refused, retried] = arrivals.get(t)!;
      expect(retried.receivedAt - refused.receivedAt).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1_000);
    }

    const rows = await deliveryViews(sut, alertId);
    expect(countBy(rows, (r) => `${r.status}:${r.errorCode ?? '-'}`)).toEqual({ 'sent:-': tokens.length });
    for (const r of rows) {
      expect([r.address, r.attempts]).toEqual([
        r.address,
        throttled.has(r.address) ? 2 : erroring.has(r.address) ? 3 : 1,
      ]);
    }
    expect(sut.fcm.server.stats()).toMatchObject({ duplicates: 0, accepted: tokens.length });
  });
});
