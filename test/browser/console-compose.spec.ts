import type { Page } from 'playwright-core';
import { Role } from '@bousai/domain';
import { type Stack, startStack } from '../e2e/fanout/support/fanout-stack';
import { PASSWORD } from '../e2e/support/api-harness';
import {
  type Browser,
  CONSOLE_DIR,
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  seriousViolations,
} from './support/browser';

// the api, the fanout with the fake FCM, Postgres, Redis and Chromium share this process; nothing asserts on time
jest.setTimeout(120_000);

const HOUSEHOLDS = 6;

/**
 * Issue 20, compose to delivery in a real Chromium against the real api, fanout and provider fakes: an operator
 * composes with a preview and submits; a second person (an approver) approves and sends; the live bars move to
 * done; the alert is corrected and the correction cancelled; a viewer sees no action button and the api refuses
 * them anyway.
 */
describe('console: compose, approve, send, correct, cancel', () => {
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let m: string;
  let sentId: string;
  let arashima: string;
  let akae: string;
  const requested: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    stack = await startStack({ api: { CONSOLE_DIR, LIVE_PUSH_INTERVAL_MS: '500' } });
    base = stack.url;
    m = stack.api.tenants[0].municipalityId;
    const s = stack.seed;
    // 荒島 with six households of one app user each, among them two 要援護者; an empty second district
    arashima = await s.area(m);
    akae = await s.area(m);
    const q = stack.api.db.dataSource.query.bind(stack.api.db.dataSource);
    // side by side near 安来: 荒島 a Polygon, 赤江 a MultiPolygon (GeoJSON, WGS84 [lon, lat])
    const square = (west: number) => [
      [
        [west, 35.42],
        [west + 0.04, 35.42],
        [west + 0.04, 35.45],
        [west, 35.45],
        [west, 35.42],
      ],
    ];
    await q(`UPDATE area SET name = '荒島', polygon = $2 WHERE id = $1`, [
      arashima,
      JSON.stringify({ type: 'Polygon', coordinates: square(133.18) }),
    ]);
    await q(`UPDATE area SET name = '赤江', polygon = $2 WHERE id = $1`, [
      akae,
      JSON.stringify({ type: 'MultiPolygon', coordinates: [square(133.22)] }),
    ]);
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const household = await s.household(m, arashima);
      const resident = await s.resident(m, { householdId: household, needsAssistance: i < 2 });
      await s.fcm(m, resident);
    }
    browser = await launchChromium();
    // every request the console makes, to prove none leaves the api's origin (no map tiles are configured)
    browser.context.on('request', (r) => requested.push(r.url()));
    await browser.context.route(
      (url) => url.origin !== base,
      (route) => route.abort('blockedbyclient'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function login(page: Page, role: Role) {
    await page.goto(`${base}/console/`);
    await page.getByLabel('メールアドレス').fill(stack.api.tenants[0].operators[role].email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
  }

  async function logout(page: Page) {
    await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  }

  const status = (page: Page) => page.getByTestId('alert-status');

  it('the district map beside the list: a click on a polygon selects the district, and no tile is fetched', async () => {
    const { page } = browser;
    await login(page, Role.Operator);
    await page.getByRole('navigation').getByRole('link', { name: '警報の作成' }).click();
    const ja = page.getByRole('group', { name: '日本語', exact: true });
    await ja.getByLabel('件名').fill('避難指示');
    await ja.getByLabel('本文').fill('直ちに避難してください。');
    await page.getByRole('radio', { name: '地区を選ぶ' }).check();
    const map = page.getByRole('region', { name: '地区の地図' });
    const polygon = (id: string) => map.locator(`path[data-area-id="${id}"]`);
    await polygon(akae).waitFor();
    const arashimaBox = page.getByRole('checkbox', { name: /荒島.*6 世帯/ });
    const akaeBox = page.getByRole('checkbox', { name: /赤江.*0 世帯/ });
    const appRow = () =>
      page
        .getByRole('region', { name: 'プレビュー' })
        .getByRole('row', { name: /^アプリ/ })
        .first();

    // 赤江 (no household) from the map: its checkbox follows; the preview counts nobody
    await polygon(akae).click();
    expect(await akaeBox.isChecked()).toBe(true);
    expect(await arashimaBox.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'プレビュー' }).click();
    await appRow().filter({ hasText: '0 人 / 0 世帯' }).waitFor();

    // 荒島 from the map as well: six households now
    await polygon(arashima).click();
    expect(await arashimaBox.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'プレビュー' }).click();
    await appRow().filter({ hasText: '6 人 / 6 世帯' }).waitFor();
    // no visitor subscribed to 荒島: the preview says so beside the roster's counts
    expect(await page.getByTestId('preview-visitors').innerText()).toMatch(/^旅行者 0 /);
    // the selection is drawn: the selected polygons' outline is the highlight colour
    expect(await polygon(arashima).getAttribute('stroke')).toBe('#0b57d0');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'compose-map-ja');

    // one selection: unticking 赤江 in the list un-highlights its polygon; a second click on 荒島 deselects it
    await akaeBox.uncheck();
    expect(await polygon(akae).getAttribute('stroke')).not.toBe('#0b57d0');
    await polygon(arashima).click();
    expect(await arashimaBox.isChecked()).toBe(false);
    // no tile source is configured: the map drew on a plain background and nothing left the api's origin
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => new URL(u).host !== new URL(base).host)).toEqual([]);
    await logout(page);
  });

  it('an operator composes, sees the preview with audience, texts and unserved channels, and submits', async () => {
    const { page } = browser;
    await login(page, Role.Operator);
    await page.getByRole('navigation').getByRole('link', { name: '警報の作成' }).click();
    await page.getByRole('heading', { level: 1, name: '警報の作成' }).waitFor();

    const ja = page.getByRole('group', { name: '日本語', exact: true });
    await ja.getByLabel('件名').fill('避難指示（荒島地区）');
    await ja.getByLabel('本文').fill('荒島地区に避難指示を発令しました。直ちに避難してください。');
    const easy = page.getByRole('group', { name: 'やさしい日本語' });
    await easy.getByLabel('件名').fill('にげてください');
    await easy.getByLabel('本文').fill('あらしま の ひとは にげてください。');
    const en = page.getByRole('group', { name: '英語' });
    await en.getByLabel('件名').fill('Evacuation order (Arashima)');
    await en.getByLabel('本文').fill('Arashima: evacuate now.');
    await page.getByLabel('重要度').selectOption('extreme');
    await page.getByRole('radio', { name: '地区を選ぶ' }).check();
    await page.getByRole('checkbox', { name: /荒島.*6 世帯/ }).check();
    await page.getByRole('checkbox', { name: '戸別受信機' }).uncheck();
    await page.getByRole('checkbox', { name: '安否確認を求める' }).check();
    // nothing is submitted before a preview of exactly this content
    const submit = page.getByRole('button', { name: '作成して承認を依頼' });
    expect(await submit.isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'プレビュー' }).click();
    const preview = page.getByRole('region', { name: 'プレビュー' });
    await preview.waitFor();
    // the fanout sends on fcm (the fake) and not on webpush: that is said before anything goes out
    await preview.getByText(/配信サーバーが扱っていないため届きません: ブラウザ通知/).waitFor();
    const app = preview.getByRole('row', { name: /^アプリ/ }).first();
    expect(await app.textContent()).toContain('6 人 / 6 世帯');
    expect(await app.textContent()).toContain('2 人 / 2 世帯');
    await preview
      .getByRole('cell', { name: /Arashima: evacuate now\./ })
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'compose-ja');

    await submit.click();
    await page.getByRole('heading', { level: 1, name: '避難指示（荒島地区）' }).waitFor();
    await status(page).filter({ hasText: '承認待ち' }).waitFor();
    sentId = new URL(page.url()).pathname.split('/').at(-1)!;
    // the two-person rule is stated; an operator has no approve button
    await page.getByText(/二人制/).waitFor();
    expect(await page.getByRole('button', { name: '承認', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: '取消' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await logout(page);
  });

  it('an approver finds it in the list, approves and sends it; the live bars move to done', async () => {
    const { page } = browser;
    await login(page, Role.Approver);
    await page
      .getByRole('region', { name: '承認待ちの警報' })
      .getByRole('link', { name: '避難指示（荒島地区）' })
      .waitFor();
    await page.getByRole('navigation').getByRole('link', { name: '警報一覧' }).click();
    await page.getByLabel('状態で絞り込む').selectOption('pending_approval');
    await page.getByRole('link', { name: '避難指示（荒島地区）' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alerts-ja');
    await page.getByRole('link', { name: '避難指示（荒島地区）' }).click();

    await page.getByRole('button', { name: '承認', exact: true }).click();
    await status(page).filter({ hasText: '承認済み' }).waitFor();
    await page.getByRole('button', { name: '配信', exact: true }).click();
    const deliveries = page.getByRole('region', { name: '配信状況（経路・状態別）' });
    const app = deliveries.getByRole('row', { name: /^アプリ/ });
    await app.waitFor();
    const bar = app.getByRole('progressbar');
    // every app delivery accepted by the fake FCM: the bar is full
    await page.waitForFunction(
      (el) => el?.getAttribute('value') === '6' && el.getAttribute('max') === '6',
      await bar.elementHandle(),
    );
    await status(page)
      .filter({ hasText: /配信中|送信済み/ })
      .waitFor();
    expect(stack.fcm.server.received.length).toBe(HOUSEHOLDS);
    // the safety answers by group are counted live
    const safety = page.getByRole('region', { name: '安否確認（グループ・回答別）' });
    await safety.getByRole('row', { name: /^要援護者/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alert-detail-ja');
  });

  it('corrects the sent alert with a prefilled form, then cancels the correction after confirming', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: '訂正' }).click();
    const title = page.locator('#fix-title-ja');
    expect(await title.inputValue()).toBe('避難指示（荒島地区）');
    await title.fill('避難指示（荒島地区・訂正）');
    await page.getByRole('button', { name: '訂正版を作成' }).click();
    await page.getByRole('heading', { level: 1, name: '避難指示（荒島地区・訂正）' }).waitFor();
    await page.getByRole('link', { name: sentId }).waitFor();

    await page.getByRole('button', { name: '取消' }).click();
    const dialog = page.getByRole('dialog', { name: 'この警報を取り消しますか？' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alert-cancel-ja');
    // Escape backs out; nothing happened
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '取消' }).click();
    await dialog.getByRole('button', { name: '取り消す' }).click();
    await status(page).filter({ hasText: '取消' }).waitFor();
    expect(await page.getByRole('button', { name: '取消' }).count()).toBe(0);
    await logout(page);
  });

  it('a viewer sees the alert without any action and cannot compose; the api refuses them anyway', async () => {
    const { page } = browser;
    await login(page, Role.Viewer);
    await page.goto(`${base}/console/alerts/${sentId}`);
    await page.getByRole('heading', { level: 1, name: '避難指示（荒島地区）' }).waitFor();
    await page
      .getByRole('region', { name: '配信状況（経路・状態別）' })
      .getByRole('row', { name: /^アプリ/ })
      .waitFor();
    expect(await page.getByRole('group', { name: '操作' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /訂正|取消|配信|承認/ }).count()).toBe(0);
    // the follow-up list and district report name residents: not for a viewer
    expect(await page.getByRole('region', { name: '地区別の回答率' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'alert-detail-viewer-ja');
    await page.getByRole('navigation').getByRole('link', { name: '警報の作成' }).click();
    await page.getByRole('alert').filter({ hasText: '権限がありません' }).waitFor();

    const viewer = await stack.auth(Role.Viewer);
    for (const action of ['cancel', 'send', 'approve', 'submit']) {
      const res = await stack.api.http.post(`${stack.alerts()}/${sentId}/${action}`).set(...viewer);
      expect(res.status).toBe(403);
    }
    const correct = await stack.api.http
      .post(`${stack.alerts()}/${sentId}/correct`)
      .set(...viewer)
      .send({ texts: { ja: { title: '訂正', body: '訂正' } } });
    expect(correct.status).toBe(403);
    const create = await stack.api.http
      .post(stack.alerts())
      .set(...viewer)
      .send({ texts: { ja: { title: 't', body: 'b' } }, targeting: { all: true } });
    expect(create.status).toBe(403);
  });
});
