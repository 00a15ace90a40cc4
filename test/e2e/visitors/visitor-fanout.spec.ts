import { type WebPushPayload } from '@bousai/channels';
import { generateVapidKeys } from '@bousai/channels/senders';
import { Role } from '@bousai/domain';
import { FAKE_PUSH_EGRESS_ENV, FakePushService, type FakePushSubscription } from '@bousai/testing';
import {
  approveAndSend,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from '../fanout/support/fanout-stack';

// the api, the fanout and the push fake share this process on a busy CI box; nothing here asserts on time
jest.setTimeout(120_000);

const ACK_TOKEN_SECRET = 'e2e-visitor-ack-secret-0123456789-abcdef';
const TEXTS = {
  ja: { title: '避難指示', body: '荒島地区に避難指示を発令しました。' },
  en: { title: 'Evacuation order', body: 'Arashima: evacuate now.' },
};

describe('visitor subscriptions in the fan-out: public alerts of their districts only', () => {
  const vapid = generateVapidKeys();
  let sut: Stack;
  let push: FakePushService;
  let m: string;
  let arashima: string;
  let hirose: string;

  beforeAll(async () => {
    push = await FakePushService.start({ vapidPublicKey: vapid.publicKey });
    sut = await startStack({
      api: { ...FAKE_PUSH_EGRESS_ENV, ACK_TOKEN_SECRET },
      fanout: {
        FANOUT_CHANNELS: 'fcm,webpush',
        WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEBPUSH_TLS_INSECURE: 'true',
        WEBPUSH_ACK_URL: 'https://bousai.example/v1/acks/signed',
        ACK_TOKEN_SECRET,
        ...FAKE_PUSH_EGRESS_ENV,
      },
    });
    m = sut.api.tenants[0].municipalityId;
    arashima = await sut.seed.area(m);
    hirose = await sut.seed.area(m);
    // someone on the roster in each district, among them a 要援護者 in 荒島, so every alert below has an audience
    for (const [areaId, needsAssistance] of [
      [arashima, true],
      [hirose, false],
    ] as const) {
      const residentId = await sut.seed.resident(m, {
        householdId: await sut.seed.household(m, areaId),
        needsAssistance,
      });
      await sut.api.db.dataSource.query(
        `INSERT INTO endpoint (municipality_id, resident_id, channel, address) VALUES ($1, $2, 'fcm', $3)`,
        [m, residentId, `tok-${residentId}`],
      );
    }
  });
  afterAll(async () => {
    await sut.close();
    await push.close();
  });

  async function visitor(
    districts: string[],
    language: string,
  ): Promise<FakePushSubscription & { sid: string }> {
    const sub = push.createSubscription();
    const res = await sut.api.http
      .post('/v1/public/municipalities/322067/visitor-subscriptions')
      .send({ subscription: { endpoint: sub.endpoint, keys: sub.keys }, districts, language })
      .expect(201);
    return { ...sub, sid: res.body.id as string };
  }

  async function sent(draft: Parameters<typeof submitted>[1]): Promise<string> {
    const alertId = await submitted(sut, { channels: ['fcm', 'webpush'], ...draft });
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');
    return alertId;
  }

  const payloads = (s: FakePushSubscription) =>
    push.receivedFor(s.id).map((r) => JSON.parse(r.payload) as WebPushPayload);

  it("reaches a visitor with its district's public alert, never a 要援護者-only one, another district's or a drill", async () => {
    const inArashima = await visitor([arashima], 'en');
    const inHirose = await visitor([hirose], 'ja');
    const inBoth = await visitor([hirose, arashima], 'ja');

    const publicA = await sent({ texts: TEXTS, targeting: { areaIds: [arashima] }, safetyRequest: true });
    const assistanceA = await sent({
      texts: TEXTS,
      targeting: { areaIds: [arashima], groups: ['needs_assistance'] },
    });
    const publicB = await sent({ texts: TEXTS, targeting: { areaIds: [hirose] } });
    const drillA = await sent({ texts: TEXTS, targeting: { areaIds: [arashima] }, isDrill: true });
    const fcmOnly = await sent({ texts: TEXTS, targeting: { all: true }, channels: ['fcm'] });
    const everywhere = await sent({ texts: TEXTS, targeting: { all: true } });

    expect(payloads(inArashima).map((p) => [p.alertId, p.title, p.safetyRequest])).toEqual([
      [publicA, 'Evacuation order', false],
      [everywhere, 'Evacuation order', false],
    ]);
    expect(payloads(inHirose).map((p) => [p.alertId, p.title])).toEqual([
      [publicB, '避難指示'],
      [everywhere, '避難指示'],
    ]);
    expect(payloads(inBoth).map((p) => p.alertId)).toEqual([publicA, publicB, everywhere]);
    for (const none of [assistanceA, drillA, fcmOnly]) {
      const [{ n }] = await sut.api.db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM delivery d JOIN visitor_subscription v ON v.id = d.endpoint_id
          WHERE d.alert_id = $1`,
        [none],
      );
      expect(n).toBe(0);
    }

    // the visitor's browser acknowledges with the payload's signed token, as a resident's does
    const ack = payloads(inArashima)[0];
    await sut.api.http
      .post('/v1/acks/signed')
      .send({ token: ack.ackToken, stage: 'delivered', deviceAt: new Date().toISOString() })
      .expect(200);
    await eventually(async () => {
      const [row] = await sut.api.db.dataSource.query<{ status: string }[]>(
        `SELECT status FROM delivery WHERE id = $1`,
        [ack.deliveryId],
      );
      return row.status === 'delivered';
    });
  });

  it("the operator's preview counts the visitors the plan reaches: a district's, none for a 要援護者 alert or a drill", async () => {
    // a district of its own: two visitors there, one elsewhere, one gone
    const yoshida = await sut.seed.area(m);
    const kept = [await visitor([yoshida], 'ja'), await visitor([hirose, yoshida], 'en')];
    await visitor([hirose], 'ja');
    const gone = await visitor([yoshida], 'ja');
    await sut.api.db.dataSource.query(`UPDATE visitor_subscription SET status = 'dead' WHERE id = $1`, [
      gone.sid,
    ]);
    const previewed = async (draft: Record<string, unknown>) => {
      const res = await sut.api.http
        .post(`${sut.alerts()}/preview`)
        .set(...(await sut.auth(Role.Operator)))
        .send({ severity: 'extreme', texts: TEXTS, channels: ['fcm', 'webpush'], ...draft })
        .expect(200);
      return res.body as { visitors: number; problems: { code: string }[] };
    };

    const district = { targeting: { areaIds: [yoshida] } };
    const p = await previewed(district);
    expect(p.visitors).toBe(kept.length);
    // nobody on the roster there, but the visitors are reached: no "nobody reached" warning
    expect(p.problems.map((x) => x.code)).not.toContain('nobody_reached');
    expect(
      (await previewed({ targeting: { areaIds: [yoshida], groups: ['needs_assistance'] } })).visitors,
    ).toBe(0);
    expect((await previewed({ ...district, isDrill: true })).visitors).toBe(0);
    expect((await previewed({ ...district, channels: ['fcm'] })).visitors).toBe(0);

    // the plan reaches exactly the visitors the preview counted
    const alertId = await sent({ texts: TEXTS, ...district });
    const planned = await sut.api.db.dataSource.query<{ id: string }[]>(
      `SELECT v.id FROM delivery d JOIN visitor_subscription v ON v.id = d.endpoint_id WHERE d.alert_id = $1`,
      [alertId],
    );
    expect(planned.map((r) => r.id).sort()).toEqual(kept.map((k) => k.sid).sort());
  });

  it('sends the cancellation notice of a public alert to the visitors it reached', async () => {
    const reached = await visitor([arashima], 'ja');
    const alertId = await sent({ texts: TEXTS, targeting: { areaIds: [arashima] } });
    const op = await sut.auth(Role.Operator);
    expect((await sut.api.http.post(`${sut.alerts()}/${alertId}/cancel`).set(...op)).status).toBe(200);
    await eventually(() => payloads(reached).some((p) => p.cancelsAlertId === alertId), 60_000);
    expect(payloads(reached).map((p) => p.cancelsAlertId ?? p.alertId)).toEqual([alertId, alertId]);
  });

  it('counts visitors apart from households in the coverage KPI', async () => {
    const before = await sut.api.http
      .get(`/v1/municipalities/${m}/coverage`)
      .set(...(await sut.auth(Role.Viewer)))
      .expect(200);
    await visitor([arashima], 'ja');
    const after = await sut.api.http
      .get(`/v1/municipalities/${m}/coverage`)
      .set(...(await sut.auth(Role.Viewer)))
      .expect(200);
    expect(after.body.visitorSubscriptions).toBe(before.body.visitorSubscriptions + 1);
    expect(after.body.households).toBe(before.body.households);
    expect(after.body.covered).toBe(before.body.covered);
    const areaOf = (body: { areas: { areaId: string; visitorSubscriptions: number }[] }) =>
      body.areas.find((a) => a.areaId === arashima)?.visitorSubscriptions;
    expect(areaOf(after.body)).toBe(areaOf(before.body)! + 1);
  });

  it('marks a subscription dead when the push service says it is gone, and sends it nothing more', async () => {
    const gone = await visitor([arashima], 'ja');
    push.setBehaviour(gone.id, { kind: 'gone' });
    await sent({ texts: TEXTS, targeting: { areaIds: [arashima] } });
    const [row] = await sut.api.db.dataSource.query<{ status: string }[]>(
      `SELECT status FROM visitor_subscription WHERE id = $1`,
      [gone.sid],
    );
    expect(row.status).toBe('dead');
    push.setBehaviour(gone.id, { kind: 'ok' });
    const later = await sent({ texts: TEXTS, targeting: { areaIds: [arashima] } });
    expect(payloads(gone).filter((p) => p.alertId === later)).toEqual([]);
  });
});
