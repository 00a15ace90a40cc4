import type { WebPushPayload } from '@bousai/channels';
import { Role } from '@bousai/domain';
import type { FakePushService, FakePushSubscription } from '@bousai/testing';
import type { CDPSession, Route, Worker } from 'playwright-core';
import { eventually, type Stack } from '../e2e/fanout/support/fanout-stack';
import { type Browser, ensurePwaBuilt, screenshot, seriousViolations } from './support/browser';
import {
  appWorker,
  enrolmentCode,
  launchPwaBrowser,
  openShelter,
  startPwaStack,
  workerRegistrationId,
} from './support/pwa-stack';

// the api, the fanout, the fake push service and Chromium share this process; nothing here asserts on time
jest.setTimeout(120_000);

const SECRET = 'pwa-browser-test-secret-0123456789abcdef';

/** What a shown notification looks like to `registration.getNotifications()` in the service worker. */
interface Shown {
  title: string;
  body: string;
  tag: string;
  requireInteraction: boolean;
  actions: { action: string; title: string }[];
}

/**
 * Issue 21 in a real Chromium against the real api, fanout, Postgres and Redis: a resident enrols with the
 * office's code, subscribes this browser to Web Push, gets an alert through the real Web Push sender and the
 * DevTools protocol's push delivery, acknowledges it, answers from the notification, and still sees the last alert
 * and the open shelters offline; a shelter's QR code checks them in.
 */
describe("residents' app (PWA) in Chromium", () => {
  let push: FakePushService;
  let sut: Stack;
  let browser: Browser;
  let base: string;
  let cdp: CDPSession;
  let m: string;
  let residentId: string;
  let spouseId: string;
  let workAreaId: string;
  let code: string;
  let shelterId: string;
  let subscription: FakePushSubscription;
  let alertId: string;
  const cspViolations: string[] = [];

  const q = <T>(sql: string, params: unknown[] = []) => sut.api.db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    ensurePwaBuilt();
    ({ sut, push, base } = await startPwaStack(SECRET, 'receiver,fcm,webpush', { ONE_TAP_SECRET: SECRET }));
    m = sut.api.tenants[0].municipalityId;

    // a resident of 荒島町 with an enrolment code, as the office's letter would carry it
    const admin = await sut.auth(Role.Admin);
    const area = await sut.api.http
      .post(`/v1/municipalities/${m}/areas`)
      .set(...admin)
      .send({ code: 'AR', name: '荒島町' });
    const household = await sut.api.http
      .post(`/v1/municipalities/${m}/households`)
      .set(...admin)
      .send({ externalId: 'PWA-H1', areaId: area.body.id, address: '島根県安来市荒島町1' });
    const resident = await sut.api.http
      .post(`/v1/municipalities/${m}/residents`)
      .set(...admin)
      .send({ externalId: 'PWA-R1', name: '防災 花子', householdId: household.body.id });
    residentId = resident.body.id;
    // 家族の安否: the holder's spouse lives in the same household (not enrolled); a workplace district elsewhere
    const spouse = await sut.api.http
      .post(`/v1/municipalities/${m}/residents`)
      .set(...admin)
      .send({
        externalId: 'PWA-R2',
        name: '防災 太郎',
        householdId: household.body.id,
        phone: '0854-00-0000',
      });
    spouseId = spouse.body.id;
    const work = await sut.api.http
      .post(`/v1/municipalities/${m}/areas`)
      .set(...admin)
      .send({ code: 'HK', name: '広瀬町' });
    workAreaId = work.body.id;
    code = await enrolmentCode(sut, m, residentId);
    shelterId = await openShelter(sut, m, 'S1');

    // the stand-in for the browser's push service: Chromium in a test has none (and must reach no real one), so
    // PushManager.subscribe resolves to a subscription of the local fake, whose keys the fake holds to decrypt
    subscription = push.createSubscription();
    ({ browser, cdp } = await launchPwaBrowser(base, subscription, ['notifications', 'geolocation']));
    browser.page.on('console', (msg) => {
      if (/Content.Security.Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
    await push?.close();
  });

  const worker = (): Promise<Worker> => appWorker(browser);

  // worker scripts are strings: this file is compiled for Node, without the worker's types
  const notifications = async (): Promise<Shown[]> =>
    (await worker()).evaluate<Shown[]>(`(async () =>
      (await self.registration.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        requireInteraction: n.requireInteraction,
        actions: [...(n.actions ?? [])].map((a) => ({ action: a.action, title: a.title })),
      })))()`);

  it('serves the app at /app/ with its CSP, manifest and service worker; no installability error', async () => {
    const { page } = browser;
    const res = await page.goto(`${base}/app/?code=${encodeURIComponent(code)}`);
    expect(res?.headers()['content-security-policy']).toContain("worker-src 'self'");
    await page.getByRole('heading', { name: '登録', exact: true }).waitFor();
    expect(await page.getByLabel('登録コード').inputValue()).toBe(code);
    await worker();
    await eventually(async () => {
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      return installabilityErrors.length === 0;
    });
    const manifest = await sut.api.http.get('/app/manifest.webmanifest');
    expect(manifest.headers['content-type']).toContain('application/manifest+json');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('enrols with the code from the QR link, then subscribes this browser as a webpush endpoint', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByRole('heading', { name: 'お知らせ' }).waitFor();
    expect(page.url()).not.toContain('code=');
    await page.getByRole('button', { name: '通知を受け取る' }).click();
    await eventually(async () => {
      const rows = await q<{ address: string }[]>(
        `SELECT address FROM endpoint WHERE resident_id = $1 AND channel = 'webpush' AND status = 'active'`,
        [residentId],
      );
      return rows.length === 1 && rows[0].address === subscription.endpoint;
    });
    await page.getByRole('link', { name: '設定' }).click();
    await page.getByText('通知はオンです。').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a pushed alert is shown in the holder’s language, stays (Level 4+), acks delivered; the action answers 助けが必要 and acks read', async () => {
    const op = await sut.auth(Role.Operator);
    const created = await sut.api.http
      .post(sut.alerts())
      .set(...op)
      .send({
        texts: {
          ja: {
            title: '避難指示（荒島町）',
            body: '荒島町に避難指示を発令しました。直ちに避難してください。',
          },
          en: { title: 'Evacuate (Arashima)', body: 'Evacuate now.' },
        },
        severity: 'extreme',
        targeting: { all: true },
        channels: ['webpush'],
        safetyRequest: true,
      });
    expect(created.status).toBe(201);
    alertId = created.body.id;
    await sut.api.http.post(`${sut.alerts()}/${alertId}/submit`).set(...op);
    await sut.api.http.post(`${sut.alerts()}/${alertId}/approve`).set(...(await sut.auth(Role.Approver)));
    expect((await sut.api.http.post(`${sut.alerts()}/${alertId}/send`).set(...op)).status).toBe(200);
    await sut.api.http
      .post(`${sut.alerts()}/${alertId}/safety-requests`)
      .set(...op)
      .send({ groups: ['everyone'] });

    // what the push service received, decrypted as the browser would, is what the browser hands its worker
    await eventually(() => push.receivedFor(subscription.id).length === 1, 60_000);
    const payload = push.receivedFor(subscription.id)[0].payload;
    expect((JSON.parse(payload) as WebPushPayload).ackToken).toBeDefined();
    const registrationId = await workerRegistrationId(cdp, base);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId, data: payload });

    await eventually(async () => (await notifications()).length === 1);
    const [shown] = await notifications();
    expect(shown).toMatchObject({ title: '避難指示（荒島町）', tag: alertId, requireInteraction: true });
    expect(shown.actions.map((a) => a.title)).toEqual(['無事です', '助けが必要']);
    const delivery = async () =>
      (
        await q<{ deliveredAt: Date | null; readAt: Date | null }[]>(
          `SELECT d.delivered_at AS "deliveredAt", d.read_at AS "readAt" FROM delivery d
             JOIN endpoint e ON e.id = d.endpoint_id WHERE d.alert_id = $1 AND e.resident_id = $2`,
          [alertId, residentId],
        )
      )[0];
    await eventually(async () => (await delivery())?.deliveredAt != null);

    // the resident presses 助けが必要 on the notification (the worker's own click handler, with that action)
    await (
      await worker()
    ).evaluate(`(async () => {
      const [n] = await self.registration.getNotifications();
      await handleNotificationClick(n, 'need_help');
    })()`);
    await eventually(async () => (await delivery())?.readAt != null);
    const view = await sut.api.http
      .get(`${sut.alerts()}/${alertId}/safety-requests/${residentId}`)
      .set(...(await sut.auth(Role.Viewer)));
    expect(view.body.currentStatus).toBe('need_help');
    expect(view.body.history[0]).toMatchObject({ status: 'need_help', channel: 'pwa' });
  });

  it('lists the alert with the answer given; offline, the last alert and the open shelters still show', async () => {
    const { page } = browser;
    await page.goto(`${base}/app/#/`);
    await page.getByRole('link', { name: /避難指示（荒島町）/ }).waitFor();
    await page.getByText('回答済み: 助けが必要').waitFor();
    await page.getByRole('link', { name: '避難所' }).click();
    await page.getByRole('heading', { name: '安来市民会館' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pwa-shelters-ja');

    // offline: the browser's network is cut, and so is every request of the page and its worker to the api
    const cut = (route: Route) => route.abort('internetdisconnected');
    await browser.context.setOffline(true);
    await browser.context.route(`${base}/**`, cut);
    try {
      await page.reload();
      await page.getByRole('heading', { name: '安来市民会館' }).waitFor();
      // the banner says so, with the time the information shown was received from the api
      await page
        .getByRole('status')
        .filter({ hasText: /^オフラインです。最後に受信した情報を表示しています（\d{2}:\d{2} 時点）$/ })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'お知らせ' }).click();
      await page.getByRole('link', { name: /避難指示（荒島町）/ }).click();
      await page.getByRole('heading', { name: '避難指示（荒島町）' }).waitFor();
      await page.getByText('直ちに避難してください').waitFor();
      // the api is out of reach indeed: a read the worker keeps nothing of fails
      const uncached = await page.evaluate(
        `fetch('/v1/resident/endpoints').then(() => 'reached', () => 'failed')`,
      );
      expect(uncached).toBe('failed');
      await screenshot(page, 'pwa-alert-offline-ja');
    } finally {
      await browser.context.unroute(`${base}/**`, cut);
      await browser.context.setOffline(false);
    }
    // back online: the next read is live and the banner goes
    await page.reload();
    await page.getByRole('heading', { name: '避難指示（荒島町）' }).waitFor();
    await page.getByText('オフラインです', { exact: false }).waitFor({ state: 'detached' });
  });

  it('家族の安否: the holder answers for their spouse in one tap; the office sees who gave it', async () => {
    const { page } = browser;
    await page.goto(`${base}/app/#/alerts/${alertId}`);
    await page.getByRole('heading', { name: '家族の安否' }).waitFor();
    await page.getByText('未回答').waitFor();
    await page.getByRole('button', { name: '防災 太郎さん: 無事です' }).click();
    await page.getByText('無事です（あなたが代わりに回答）').waitFor();
    // nothing but the name: the spouse's phone number never reaches the app
    expect(await page.content()).not.toContain('0854-00-0000');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pwa-household-ja');
    const view = await sut.api.http
      .get(`${sut.alerts()}/${alertId}/safety-requests/${spouseId}`)
      .set(...(await sut.auth(Role.Viewer)));
    expect(view.body.currentStatus).toBe('safe');
    expect(view.body.history).toEqual([
      expect.objectContaining({ status: 'safe', channel: 'pwa', answeredByResidentId: residentId }),
    ]);
  });

  it('settings on the server: a push after choosing English and a workplace district comes in English', async () => {
    const { page } = browser;
    await page.goto(`${base}/app/#/settings`);
    await page.getByLabel('プッシュ通知とメールのお知らせの言語です。').selectOption('en');
    await page.getByLabel('広瀬町').check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pwa-settings-server-ja');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('保存しました。').waitFor();
    const [kept] = await q<{ language: string; extraAreaIds: string[] }[]>(
      `SELECT language, extra_area_ids AS "extraAreaIds" FROM resident WHERE id = $1`,
      [residentId],
    );
    expect(kept).toEqual({ language: 'en', extraAreaIds: [workAreaId] });

    // an alert for the workplace district only reaches the holder, rendered in the language they chose
    const op = await sut.auth(Role.Operator);
    const created = await sut.api.http
      .post(sut.alerts())
      .set(...op)
      .send({
        texts: {
          ja: { title: '大雨警報（広瀬町）', body: '広瀬町に大雨警報。' },
          en: { title: 'Heavy rain warning (Hirose)', body: 'Heavy rain warning for Hirose.' },
        },
        severity: 'severe',
        targeting: { areaIds: [workAreaId] },
        channels: ['webpush'],
      });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await sut.api.http.post(`${sut.alerts()}/${id}/submit`).set(...op);
    await sut.api.http.post(`${sut.alerts()}/${id}/approve`).set(...(await sut.auth(Role.Approver)));
    expect((await sut.api.http.post(`${sut.alerts()}/${id}/send`).set(...op)).status).toBe(200);
    await eventually(() => push.receivedFor(subscription.id).length === 2, 60_000);
    const payload = JSON.parse(push.receivedFor(subscription.id)[1].payload) as WebPushPayload;
    expect(payload).toMatchObject({ alertId: id, title: 'Heavy rain warning (Hirose)' });
    // the app's own texts stay Japanese: the alert language is the office's, the app's language the device's
    await page.getByRole('heading', { name: '設定' }).waitFor();
  });

  it('switches to English and やさしい日本語', async () => {
    const { page } = browser;
    await page.goto(`${base}/app/#/settings`);
    await page.getByLabel('English').check();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('link', { name: /Evacuate \(Arashima\)/ }).waitFor();
    await screenshot(page, 'pwa-alerts-en');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('やさしい にほんご').check();
    await page.getByRole('heading', { name: 'せってい' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('日本語', { exact: true }).check();
  });

  it("a shelter's QR code checks the resident in, which counts as a safety answer", async () => {
    const { page } = browser;
    const qr = await sut.api.http
      .get(`/v1/municipalities/${m}/shelters/${shelterId}/qr`)
      .set(...(await sut.auth(Role.Operator)));
    expect(qr.body.url).toContain('/app/#/shelter-check-in/');
    // a second alert asks everyone again; the resident has not answered it
    const [asked] = await q<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, sent_at, dispatched_at)
       VALUES ($1, 'operator', '{"ja":{"title":"土砂災害警戒","body":"避難してください"}}', 'severe', '{"all":true}',
               '{webpush}', 'sent', now(), now()) RETURNING id`,
      [m],
    );
    const op = await sut.auth(Role.Operator);
    await sut.api.http
      .post(`${sut.alerts()}/${asked.id}/safety-requests`)
      .set(...op)
      .send({ groups: ['everyone'] });
    await page.goto(
      `${base}${new URL(qr.body.url as string).pathname}${new URL(qr.body.url as string).hash}`,
    );
    await page.getByRole('button', { name: 'チェックインする' }).click();
    await page.getByText('安来市民会館 にチェックインしました').waitFor();
    const [checkIn] = await q<{ count: string }[]>(
      `SELECT count(*) FROM shelter_checkin WHERE shelter_id = $1 AND resident_id = $2`,
      [shelterId, residentId],
    );
    expect(checkIn.count).toBe('1');
    const view = await sut.api.http
      .get(`${sut.alerts()}/${asked.id}/safety-requests/${residentId}`)
      .set(...(await sut.auth(Role.Viewer)));
    expect(view.body.currentStatus).toBe('safe');
    expect(cspViolations).toEqual([]);
  });

  it("removing this device revokes its credential and drops the holder's kept answers", async () => {
    const { page } = browser;
    await page.goto(`${base}/app/#/settings`);
    await page.getByRole('button', { name: 'この端末の登録を解除' }).click();
    await page.getByRole('heading', { name: '登録', exact: true }).waitFor();
    const kept = await page.evaluate<string[]>(`(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    })()`);
    expect(kept.filter((url) => url.includes('/v1/resident/'))).toEqual([]);
    const [credential] = await q<{ revoked: boolean }[]>(
      `SELECT revoked_at IS NOT NULL AS revoked FROM resident_credential WHERE resident_id = $1`,
      [residentId],
    );
    expect(credential.revoked).toBe(true);
  });
});
