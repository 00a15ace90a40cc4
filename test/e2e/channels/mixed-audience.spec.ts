import { randomBytes } from 'node:crypto';
import { type WebPushPayload } from '@bousai/channels';
import { generateVapidKeys } from '@bousai/channels/senders';
import { Role } from '@bousai/domain';
import {
  FAKE_PUSH_EGRESS_ENV,
  FakeLineServer,
  FakePushService,
  FakeSmtpServer,
  ReceiverSimulator,
  type ReceiverCredentials,
} from '@bousai/testing';
import {
  approveAndSend,
  dataOf,
  deliveryViews,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from '../fanout/support/fanout-stack';

// the api, the fanout and four fakes share this process on a busy CI box; nothing here asserts on time
jest.setTimeout(120_000);

const LINE_TOKEN = 'line-token-mixed-audience';
const TEXTS = {
  ja: { title: '避難指示', body: '荒島地区に避難指示を発令しました。' },
  'ja-easy': { title: 'にげてください', body: 'あらしま の ひとは にげてください。' },
  en: { title: 'Evacuation order', body: 'Arashima: evacuate now.' },
  'zh-CN': { title: '避难指示', body: '荒岛地区：请立即避难。' },
};

/** One resident's means, by channel: the endpoint id and what the fake knows it by. */
interface Means {
  residentId: string;
  fcm?: { id: string; token: string };
  webpush?: { id: string; subscriptionId: string };
  email?: { id: string; address: string };
  line?: { id: string; userId: string };
}

describe('every path to a household: one alert, a mixed audience, each on their channels in their language', () => {
  const vapid = generateVapidKeys();
  let sut: Stack;
  let push: FakePushService;
  let smtp: FakeSmtpServer;
  let line: FakeLineServer;
  let sim: ReceiverSimulator | undefined;
  let m: string;
  let arashima: string;

  beforeAll(async () => {
    push = await FakePushService.start({ vapidPublicKey: vapid.publicKey });
    smtp = await FakeSmtpServer.start();
    line = await FakeLineServer.start({ channelAccessToken: LINE_TOKEN });
    sut = await startStack({
      fanout: {
        FANOUT_CHANNELS: 'receiver,fcm,webpush,email,line',
        RECEIVER_ACK_TIMEOUT_MS: '3000',
        WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEBPUSH_TLS_INSECURE: 'true',
        ...FAKE_PUSH_EGRESS_ENV,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'bousai@city.yasugi.example.jp',
        LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
        LINE_API_BASE_URL: line.url,
        FANOUT_FALLBACK_SCAN_MS: '200',
      },
    });
    m = sut.api.tenants[0].municipalityId;
    arashima = await sut.seed.area(m);
  });
  afterAll(async () => {
    sim?.close();
    await sut.close();
    await push.close();
    await smtp.close();
    await line.close();
  });

  async function resident(language: string, channels: (keyof Omit<Means, 'residentId'>)[]): Promise<Means> {
    const db = sut.api.db.dataSource;
    const householdId = await sut.seed.household(m, arashima);
    const residentId = await sut.seed.resident(m, { householdId, language });
    const means: Means = { residentId };
    const insert = async (channel: string, address: string, extra: Record<string, unknown> = {}) => {
      const [{ id }] = await db.query<{ id: string }[]>(
        `INSERT INTO endpoint (municipality_id, resident_id, channel, address, subscription, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          m,
          residentId,
          channel,
          address,
          extra.subscription ?? null,
          channel === 'email' ? new Date() : null,
        ],
      );
      return id;
    };
    for (const channel of channels) {
      if (channel === 'fcm') {
        const token = `tok-${randomBytes(8).toString('hex')}`;
        means.fcm = { id: await insert('fcm', token), token };
      } else if (channel === 'webpush') {
        const sub = push.createSubscription();
        const id = await insert('webpush', sub.endpoint, {
          subscription: JSON.stringify({ endpoint: sub.endpoint, keys: sub.keys }),
        });
        means.webpush = { id, subscriptionId: sub.id };
      } else if (channel === 'email') {
        const address = `r-${randomBytes(4).toString('hex')}@example.jp`;
        means.email = { id: await insert('email', address), address };
      } else {
        const userId = `U${randomBytes(16).toString('hex')}`;
        means.line = { id: await insert('line', userId), userId };
      }
    }
    return means;
  }

  const fcmTitles = (token: string) =>
    sut.fcm.server.receivedFor(token).map((r) => `${dataOf(r).language}:${dataOf(r).title}`);
  const pushTitles = (subscriptionId: string) =>
    push.receivedFor(subscriptionId).map((r) => {
      const p = JSON.parse(r.payload) as WebPushPayload;
      return p.title;
    });
  const mailSubjects = (address: string) => smtp.receivedFor(address).map((r) => r.subject);
  const lineTexts = (userId: string) => line.received.filter((r) => r.userId === userId).map((r) => r.text);

  async function endpointStatus(id: string): Promise<string> {
    const [row] = await sut.api.db.dataSource.query<{ status: string }[]>(
      `SELECT status FROM endpoint WHERE id = $1`,
      [id],
    );
    return row.status;
  }

  it('reaches each resident on each of their channels in their language, and marks the dead ones dead', async () => {
    const english = await resident('en', ['fcm', 'webpush', 'email']);
    const vietnamese = await resident('vi', ['email']);
    const easy = await resident('ja-easy', ['webpush', 'line']);
    const taiwanese = await resident('zh-TW', ['fcm']);
    const japanese = await resident('ja', ['line', 'email']);
    const gone = await resident('ja', ['fcm', 'webpush', 'email']);
    sut.fcm.server.setBehaviour(gone.fcm!.token, { kind: 'unregistered' });
    push.setBehaviour(gone.webpush!.subscriptionId, { kind: 'gone' });
    smtp.setBehaviour(gone.email!.address, { kind: 'reject', code: 550, enhanced: '5.1.1' });

    const rx = await sut.api.http
      .post(`/v1/municipalities/${m}/receivers`)
      .set(...(await sut.auth(Role.Operator)))
      .send({ householdId: await sut.seed.household(m, arashima) });
    sim = await ReceiverSimulator.start({ url: sut.url, devices: [rx.body as ReceiverCredentials] });

    const alertId = await submitted(sut, {
      texts: TEXTS,
      targeting: { areaIds: [arashima] },
      channels: ['receiver', 'fcm', 'webpush', 'email', 'line'],
    });
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');

    expect(fcmTitles(english.fcm!.token)).toEqual(['en:Evacuation order']);
    expect(pushTitles(english.webpush!.subscriptionId)).toEqual(['Evacuation order']);
    expect(mailSubjects(english.email!.address)).toEqual([expect.stringContaining('Evacuation order')]);
    // no Vietnamese text: English; no traditional Chinese: simplified
    expect(mailSubjects(vietnamese.email!.address)).toEqual([expect.stringContaining('Evacuation order')]);
    expect(fcmTitles(taiwanese.fcm!.token)).toEqual(['zh-CN:避难指示']);
    expect(pushTitles(easy.webpush!.subscriptionId)).toEqual(['にげてください']);
    expect(lineTexts(easy.line!.userId)).toEqual(['にげてください\n\nあらしま の ひとは にげてください。']);
    expect(lineTexts(japanese.line!.userId)).toEqual(['避難指示\n\n荒島地区に避難指示を発令しました。']);
    expect(mailSubjects(japanese.email!.address)).toEqual([expect.stringContaining('避難指示')]);
    await eventually(() => sim!.device((rx.body as ReceiverCredentials).serial).received.length === 1);
    expect(sim.device((rx.body as ReceiverCredentials).serial).received[0]).toMatchObject({
      title: '避難指示',
    });

    expect(
      await Promise.all([gone.fcm!.id, gone.webpush!.id, gone.email!.id].map((id) => endpointStatus(id))),
    ).toEqual(['dead', 'dead', 'dead']);
    const rows = await deliveryViews(sut, alertId);
    expect(
      rows
        .filter((r) => r.status === 'failed')
        .map((r) => r.endpointId)
        .sort(),
    ).toEqual([gone.fcm!.id, gone.webpush!.id, gone.email!.id].sort());
    expect(rows.filter((r) => r.status === 'queued')).toEqual([]);
  });

  it('marks a drill as a drill on every channel', async () => {
    const english = await resident('en', ['fcm', 'webpush', 'email']);
    const japanese = await resident('ja', ['line', 'webpush']);
    const alertId = await submitted(sut, {
      texts: { ja: TEXTS.ja, en: TEXTS.en },
      targeting: { areaIds: [arashima] },
      channels: ['receiver', 'fcm', 'webpush', 'email', 'line'],
      isDrill: true,
    });
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');

    expect(fcmTitles(english.fcm!.token)).toEqual(['en:[DRILL] Evacuation order']);
    expect(pushTitles(english.webpush!.subscriptionId)).toEqual(['[DRILL] Evacuation order']);
    expect(mailSubjects(english.email!.address)).toEqual([
      expect.stringContaining('[DRILL] Evacuation order'),
    ]);
    expect(pushTitles(japanese.webpush!.subscriptionId)).toEqual(['【訓練】避難指示']);
    expect(lineTexts(japanese.line!.userId)).toEqual([
      expect.stringMatching(/^【訓練】避難指示\n\n【訓練】/),
    ]);
  });

  it('falls back to the next channel on a permanent failure and on silence (ordered mode)', async () => {
    await sut.api.http
      .patch(`/v1/municipalities/${m}`)
      .set(...(await sut.auth(Role.Admin)))
      .send({
        settings: {
          channelFallback: {
            order: ['fcm', 'webpush', 'email', 'line'],
            ackTimeoutSeconds: 1,
            modeBySeverity: { moderate: 'ordered' },
          },
        },
      })
      .expect(200);
    const uninstalled = await resident('ja', ['fcm', 'email']);
    sut.fcm.server.setBehaviour(uninstalled.fcm!.token, { kind: 'unregistered' });
    const silent = await resident('ja', ['webpush', 'line']);

    const alertId = await submitted(sut, {
      texts: { ja: { title: '高齢者等避難', body: '荒島地区に高齢者等避難を発令しました。' } },
      targeting: { areaIds: [arashima] },
      channels: ['fcm', 'webpush', 'email', 'line'],
      severity: 'moderate',
    });
    await approveAndSend(sut, alertId);

    // the app is gone: email right after; the browser got it but nobody acknowledged it within 1 s: LINE (that an
    // acknowledgement stops the ladder is shown in test/integration/fanout/channel-fallback.spec.ts)
    await eventually(() => mailSubjects(uninstalled.email!.address).length === 1, 60_000);
    await eventually(() => lineTexts(silent.line!.userId).length === 1, 60_000);
    await waitForAlert(sut, alertId, 'sent');

    const rows = await deliveryViews(sut, alertId);
    const byResident = (means: Means) =>
      rows
        .filter((r) =>
          [means.fcm?.id, means.webpush?.id, means.email?.id, means.line?.id].includes(r.endpointId),
        )
        .map((r) => `${r.channel}:${r.status}`)
        .sort();
    expect(byResident(uninstalled)).toEqual(['email:sent', 'fcm:failed']);
    expect(byResident(silent)).toEqual(['line:sent', 'webpush:sent']);
    expect(mailSubjects(uninstalled.email!.address)).toHaveLength(1);
    expect(lineTexts(silent.line!.userId)).toHaveLength(1);
  });

  it('withdraws a correction with one 取消 marker on every channel, naming the plain title', async () => {
    const english = await resident('en', ['fcm', 'webpush', 'email']);
    const japanese = await resident('ja', ['line', 'email', 'webpush']);
    const rx = await sut.api.http
      .post(`/v1/municipalities/${m}/receivers`)
      .set(...(await sut.auth(Role.Operator)))
      .send({ householdId: await sut.seed.household(m, arashima) });
    const creds = rx.body as ReceiverCredentials;
    const device = await ReceiverSimulator.start({ url: sut.url, devices: [creds] });
    try {
      const op = await sut.auth(Role.Operator);
      const first = await submitted(sut, {
        texts: { ja: TEXTS.ja, en: TEXTS.en },
        targeting: { areaIds: [arashima] },
        channels: ['receiver', 'fcm', 'webpush', 'email', 'line'],
      });
      await approveAndSend(sut, first);
      await waitForAlert(sut, first, 'sent');
      const fix = await sut.api.http
        .post(`${sut.alerts()}/${first}/correct`)
        .set(...op)
        .send({
          texts: {
            ja: { title: '【訂正】避難指示', body: '対象は荒島地区です。' },
            en: { title: '[Correction] Evacuation order', body: 'Arashima only.' },
          },
        });
      expect(fix.status).toBe(201);
      const correction = fix.body.id as string;
      await sut.api.http.post(`${sut.alerts()}/${correction}/submit`).set(...op);
      await approveAndSend(sut, correction);
      await waitForAlert(sut, correction, 'sent');
      expect((await sut.api.http.post(`${sut.alerts()}/${correction}/cancel`).set(...op)).status).toBe(200);

      let notice: string | undefined;
      await eventually(async () => {
        const [row] = await sut.api.db.dataSource.query<{ id: string }[]>(
          `SELECT id FROM alert WHERE cancels_alert_id = $1`,
          [correction],
        );
        notice = row?.id;
        return notice !== undefined;
      });
      await waitForAlert(sut, notice!, 'sent');

      const last = <T>(list: T[]) => list[list.length - 1];
      expect(last(fcmTitles(english.fcm!.token))).toBe('en:[Cancelled] Evacuation order');
      expect(last(pushTitles(english.webpush!.subscriptionId))).toBe('[Cancelled] Evacuation order');
      expect(last(mailSubjects(english.email!.address))).toBe('[Cancelled] Evacuation order');
      expect(last(pushTitles(japanese.webpush!.subscriptionId))).toBe('【取消】避難指示');
      expect(last(mailSubjects(japanese.email!.address))).toBe('【取消】避難指示');
      expect(last(lineTexts(japanese.line!.userId))).toBe(
        '【取消】避難指示\n\n先ほどお知らせした「避難指示」は取り消されました。',
      );
      const heard = device.device(creds.serial);
      await eventually(() => heard.received.some((a) => a.cancelsAlertId === correction));
      expect(heard.received.find((a) => a.cancelsAlertId === correction)).toMatchObject({
        title: '【取消】避難指示',
      });
    } finally {
      device.close();
    }
  });
});
