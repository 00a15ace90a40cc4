import type { WebPushPayload } from '@bousai/channels';
import { Role } from '@bousai/domain';
import type { FakePushService, FakePushSubscription } from '@bousai/testing';
import type { CDPSession, Worker } from 'playwright-core';
import {
  approveAndSend,
  eventually,
  type Stack,
  submitted,
  waitForAlert,
} from '../e2e/fanout/support/fanout-stack';
import { type Browser, ensurePwaBuilt, screenshot, seriousViolations } from './support/browser';
import { appWorker, launchPwaBrowser, startPwaStack, workerRegistrationId } from './support/pwa-stack';

// the api, the fanout, the fake push service and Chromium share this process; nothing here asserts on time
jest.setTimeout(120_000);

const SECRET = 'pwa-visitor-test-secret-0123456789abcdef';
const TEXTS = {
  ja: { title: '避難指示（荒島町）', body: '荒島町に避難指示を発令しました。' },
  en: { title: 'Evacuation order (Arashima)', body: 'Arashima: evacuate now.' },
};

/**
 * Issue 21 in a real Chromium: a visitor subscribes without enrolment to district A's public alerts, gets an
 * operator's public alert to A through the real Web Push sender (in English, the language chosen), but neither a
 * 要援護者 alert of A nor an alert to district B; the secret kept in the app removes the subscription, a wrong one
 * is refused.
 */
describe('visitor path of the PWA in Chromium', () => {
  let push: FakePushService;
  let sut: Stack;
  let browser: Browser;
  let base: string;
  let cdp: CDPSession;
  let m: string;
  let areaA: string;
  let areaB: string;
  let subscription: FakePushSubscription;

  const q = <T>(sql: string, params: unknown[] = []) => sut.api.db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    ensurePwaBuilt();
    ({ sut, push, base } = await startPwaStack(SECRET, 'fcm,webpush'));
    m = sut.api.tenants[0].municipalityId;
    const admin = await sut.auth(Role.Admin);
    const district = async (code: string, name: string) =>
      (
        await sut.api.http
          .post(`/v1/municipalities/${m}/areas`)
          .set(...admin)
          .send({ code, name })
      ).body.id as string;
    areaA = await district('AR', '荒島町');
    areaB = await district('HI', '広瀬町');
    // a 要援護者 of 荒島町 on the roster (the group alert below has someone to reach)
    const residentId = await sut.seed.resident(m, {
      householdId: await sut.seed.household(m, areaA),
      needsAssistance: true,
    });
    await q(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address) VALUES ($1, $2, 'fcm', 'tok-v')`,
      [m, residentId],
    );

    subscription = push.createSubscription();
    ({ browser, cdp } = await launchPwaBrowser(base, subscription, ['notifications']));
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
    await push?.close();
  });

  const worker = (): Promise<Worker> => appWorker(browser);

  const visitorRows = () =>
    q<{ id: string; areaIds: string[]; language: string; endpoint: string }[]>(
      `SELECT id, area_ids AS "areaIds", language, endpoint FROM visitor_subscription WHERE municipality_id = $1`,
      [m],
    );

  async function sent(targeting: object): Promise<string> {
    const alertId = await submitted(sut, { texts: TEXTS, targeting, channels: ['fcm', 'webpush'] });
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');
    return alertId;
  }

  it('subscribes from the welcome screen to district A, in English, without enrolment', async () => {
    const { page } = browser;
    await page.goto(`${base}/app/?m=322067#/`);
    await page.getByRole('link', { name: '旅行者・家族の方はこちら' }).click();
    await page.getByRole('heading', { name: '旅行者・家族の方' }).waitFor();
    await page.getByLabel('荒島町').waitFor();
    expect(await page.getByLabel('市区町村コード（6桁）').inputValue()).toBe('322067');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pwa-visitor-subscribe-ja');

    await page.getByLabel('荒島町').check();
    await page.getByLabel('English').check();
    await page.getByRole('button', { name: '通知を許可して受け取る' }).click();
    await page.getByRole('button', { name: '受け取りをやめる' }).waitFor();
    const rows = await visitorRows();
    expect(rows).toEqual([
      expect.objectContaining({ areaIds: [areaA], language: 'en', endpoint: subscription.endpoint }),
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pwa-visitor-subscribed-ja');
  });

  it("receives district A's public alert in English, with no safety buttons, and acknowledges it", async () => {
    const alertId = await sent({ areaIds: [areaA] });
    await eventually(() => push.receivedFor(subscription.id).length === 1, 60_000);
    const payload = push.receivedFor(subscription.id)[0].payload;
    const parsed = JSON.parse(payload) as WebPushPayload;
    expect(parsed).toMatchObject({ alertId, title: 'Evacuation order (Arashima)', safetyRequest: false });

    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: base,
      registrationId: await workerRegistrationId(cdp, base),
      data: payload,
    });
    const shown = async () =>
      (await worker()).evaluate<{ title: string; actions: number }[]>(`(async () =>
        (await self.registration.getNotifications()).map((n) => ({ title: n.title, actions: (n.actions ?? []).length })))()`);
    await eventually(async () => (await shown()).length === 1);
    expect(await shown()).toEqual([{ title: 'Evacuation order (Arashima)', actions: 0 }]);
    await eventually(async () => {
      const [row] = await q<{ deliveredAt: Date | null }[]>(
        `SELECT delivered_at AS "deliveredAt" FROM delivery WHERE id = $1`,
        [parsed.deliveryId],
      );
      return row?.deliveredAt != null;
    });
  });

  it('gets neither the 要援護者 alert of district A nor the alert to district B', async () => {
    const assistance = await sent({ areaIds: [areaA], groups: ['needs_assistance'] });
    const other = await sent({ areaIds: [areaB] });
    expect(
      push.receivedFor(subscription.id).map((r) => (JSON.parse(r.payload) as WebPushPayload).alertId),
    ).not.toEqual(expect.arrayContaining([assistance]));
    expect(
      push.receivedFor(subscription.id).map((r) => (JSON.parse(r.payload) as WebPushPayload).alertId),
    ).not.toEqual(expect.arrayContaining([other]));
    expect(push.receivedFor(subscription.id)).toHaveLength(1);
  });

  it('refuses a wrong secret; the secret kept in the app removes the subscription', async () => {
    const [row] = await visitorRows();
    const wrong = await sut.api.http
      .delete(`/v1/public/municipalities/322067/visitor-subscriptions/${row.id}`)
      .set('X-Visitor-Secret', 'vs_not-the-secret');
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect(await visitorRows()).toHaveLength(1);

    const { page } = browser;
    await page.goto(`${base}/app/#/`);
    await page.getByText('選んだ地区の防災情報を受け取っています。').waitFor();
    await page.getByLabel('広瀬町').check();
    await page.getByRole('button', { name: '変更を保存' }).click();
    await page.getByText('保存しました。').waitFor();
    expect((await visitorRows())[0].areaIds.sort()).toEqual([areaA, areaB].sort());

    await page.getByRole('button', { name: '受け取りをやめる' }).click();
    await page.getByRole('heading', { name: '登録' }).waitFor();
    expect(await visitorRows()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
