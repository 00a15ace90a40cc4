import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import { PASSWORD, startApi, type ApiHarness } from '../e2e/support/api-harness';
import {
  type Browser,
  CONSOLE_DIR,
  ensureConsoleBuilt,
  launchChromium,
  REPO_ROOT,
  screenshot,
  seriousViolations,
} from './support/browser';

/**
 * Issue 20, the roster and administration screens in a real Chromium against the real api, Postgres and Redis: a
 * roster import shows its rejected rows by line, households with their residents and endpoints, an enrolment code
 * printed with its QR code, receivers with their last heartbeat; an admin changes a setting and a role and finds
 * both in the filtered audit log; viewers and operators see no administration, and the api refuses them anyway.
 */
describe('console: roster and administration in Chromium', () => {
  let sut: ApiHarness;
  let browser: Browser;
  let base: string;
  let mid: string;
  const auth = async (role: Role) =>
    ['Authorization', `Bearer ${await sut.token(sut.tenants[0], role)}`] as const;

  /** Households with two bad rows: line 3 names an unknown district, line 5 has no address. */
  const HOUSEHOLDS = [
    '世帯番号,地区コード,住所,郵便番号',
    '000101,01,島根県安来市安来町1001,692-0011',
    '000102,99,島根県安来市安来町1002,692-0011',
    '000201,02,島根県安来市十神町205,692-0012',
    '000202,02,,692-0012',
  ].join('\n');

  async function logIn(role: Role): Promise<void> {
    const { page } = browser;
    await page.goto(`${base}/console/`);
    await page.getByLabel('メールアドレス').fill(sut.tenants[0].operators[role].email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
  }

  async function logOut(): Promise<void> {
    await browser.page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await browser.page.getByRole('heading', { name: 'ログイン' }).waitFor();
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    sut = await startApi({ CONSOLE_DIR });
    await sut.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    mid = sut.tenants[0].municipalityId;
    for (const area of [
      { code: '01', name: '安来' },
      { code: '02', name: '十神' },
    ]) {
      const res = await sut.http
        .post(`/v1/municipalities/${mid}/areas`)
        .set(...(await auth(Role.Admin)))
        .send(area);
      expect(res.status).toBe(201);
    }
    browser = await launchChromium();
    await browser.context.route(
      (url) => url.origin !== base,
      (route) => route.abort('blockedbyclient'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('imports households and shows every rejected row by line and reason', async () => {
    const { page } = browser;
    await logIn(Role.Operator);
    await page.getByRole('link', { name: '名簿' }).click();
    await page.getByRole('heading', { level: 1, name: '名簿' }).waitFor();
    await page.getByRole('region', { name: '世帯' }).getByText('該当する世帯はありません。').waitFor();

    const form = page.getByRole('region', { name: '名簿の取り込み（CSV）' });
    await form.getByLabel('種類').selectOption('households');
    await form.getByLabel('CSV ファイル').setInputFiles({
      name: 'households.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(HOUSEHOLDS),
    });
    await form.getByRole('button', { name: '取り込む' }).click();
    await form.getByText('4 行中 2 行を取り込みました').waitFor();
    const rejected = form.getByRole('table', { name: '取り込めなかった行（2 行）' });
    const rows = rejected.getByRole('row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).getByRole('rowheader').textContent()).toBe('3');
    expect(await rows.nth(1).textContent()).toContain('UNKNOWN_AREA');
    expect(await rows.nth(2).getByRole('rowheader').textContent()).toBe('5');
    expect(await rows.nth(2).textContent()).toContain('MISSING_VALUE');
    // the household list shows what was imported without a reload
    const households = page.getByRole('region', { name: '世帯' });
    await households.getByRole('rowheader', { name: '000201' }).waitFor();
    expect(await households.getByRole('row').count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roster-import-ja');
  });

  it('lists households, searches one, and shows its residents (要援護者 marked) and endpoints', async () => {
    const { page } = browser;
    const op = await auth(Role.Operator);
    const residents = await sut.http
      .post(`/v1/municipalities/${mid}/imports/residents`)
      .set(...op)
      .attach('file', readFileSync(join(REPO_ROOT, 'docs/samples/roster-residents.csv')), 'residents.csv');
    expect(residents.status).toBe(201);
    const [household] = (
      await sut.http
        .get(`/v1/municipalities/${mid}/households`)
        .query({ externalId: '000101' })
        .set(...op)
    ).body.items;
    const receiver = await sut.http
      .post(`/v1/municipalities/${mid}/receivers`)
      .set(...op)
      .send({ householdId: household.id, serial: 'RX-0001', label: '居間' });
    expect(receiver.status).toBe(201);
    // what a heartbeat leaves on the endpoint (docs/receiver-protocol.md)
    await sut.db.dataSource.query(
      `UPDATE endpoint SET last_seen_at = '2026-12-07T08:30:00Z', battery_percent = 87, signal_dbm = -67,
              firmware = '1.4.2' WHERE id = $1`,
      [receiver.body.id],
    );

    await page.reload();
    const households = page.getByRole('region', { name: '世帯' });
    await households.getByRole('rowheader', { name: '000201' }).waitFor();
    await households.getByLabel('世帯番号で検索').fill('000101');
    await households.getByRole('button', { name: '検索' }).click();
    await households.getByRole('button', { name: 'すべて表示' }).waitFor();
    // the search's answer replaces the list: the other household leaves, the one searched for stays
    await households.getByRole('rowheader', { name: '000201' }).waitFor({ state: 'detached' });
    await households.getByRole('rowheader', { name: '000101' }).waitFor();
    expect(await households.getByRole('row').count()).toBe(2);
    await households.getByRole('button', { name: '世帯 000101 を表示' }).click();

    const detail = page.getByRole('region', { name: '世帯 000101' });
    const hanako = detail.getByRole('row', { name: /安来 花子/ });
    await hanako.waitFor();
    expect(await hanako.textContent()).toContain('要援護者');
    expect(await detail.getByRole('row', { name: /安来 太郎/ }).textContent()).not.toContain('要援護者');
    await detail.getByRole('rowheader', { name: '戸別受信機' }).waitFor();
    expect(await detail.textContent()).toContain('居間');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roster-ja');
  });

  it('lists receivers with their last heartbeat, battery and signal', async () => {
    const { page } = browser;
    const receivers = page.getByRole('region', { name: '戸別受信機' });
    const row = receivers.getByRole('row', { name: /RX-0001/ });
    await row.waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(cells).toEqual(['居間', '有効', '2026/12/07 17:30:00', '87 %', '-67 dBm', '1.4.2']);
  });

  it('issues an enrolment code and renders the printable page with the code and its QR code', async () => {
    const { page } = browser;
    const detail = page.getByRole('region', { name: '世帯 000101' });
    await detail.getByRole('button', { name: '安来 花子 さんの登録コードを発行' }).click();
    await page.getByRole('heading', { level: 1, name: '登録コードの印刷' }).waitFor();
    const sheet = page.getByRole('article', { name: '安来 花子 様' });
    const code = (await sheet.locator('.enrol-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);
    await sheet.getByRole('img', { name: `登録コード ${code} の QR コード` }).waitFor();
    expect(await sheet.textContent()).toContain('島根県安来市安来町1001');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roster-print-ja');

    // the printed page is the sheet alone: no banner, no buttons
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('banner').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '印刷する' }).isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // the code works once, in the resident app
    const enrol = await sut.http.post('/v1/resident/enrol').send({ code, deviceLabel: 'test' });
    expect(enrol.status).toBeLessThan(300);
    await logOut();
  });

  it('hides the administration and the roster buttons from a viewer, and the api refuses them (403)', async () => {
    const { page } = browser;
    await logIn(Role.Viewer);
    expect(await page.getByRole('link', { name: '管理' }).count()).toBe(0);
    await page.getByRole('link', { name: '名簿' }).click();
    await page.getByRole('region', { name: '世帯' }).getByRole('rowheader', { name: '000101' }).waitFor();
    expect(await page.getByRole('region', { name: '名簿の取り込み（CSV）' }).count()).toBe(0);
    await page.getByRole('button', { name: '世帯 000101 を表示' }).click();
    await page.getByRole('region', { name: '世帯 000101' }).getByText('安来 花子').waitFor();
    expect(await page.getByRole('button', { name: /登録コードを発行/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/console/admin`);
    await page.getByRole('alert').filter({ hasText: 'この画面は管理者だけが使えます。' }).waitFor();
    expect(await page.getByRole('region', { name: '職員アカウントと権限' }).count()).toBe(0);
    await screenshot(page, 'admin-viewer-ja');

    const viewer = await auth(Role.Viewer);
    const [resident] = (await sut.http.get(`/v1/municipalities/${mid}/residents`).set(...viewer)).body.items;
    const refused = [
      sut.http.post(`/v1/municipalities/${mid}/imports/households`).set(...viewer),
      sut.http.post(`/v1/municipalities/${mid}/residents/${resident.id}/enrolment-codes`).set(...viewer),
      sut.http.get(`/v1/municipalities/${mid}/operators`).set(...viewer),
      sut.http.get(`/v1/municipalities/${mid}/audit-log`).set(...viewer),
      sut.http
        .patch(`/v1/municipalities/${mid}`)
        .set(...viewer)
        .send({ name: '乗っ取り' }),
    ];
    for (const res of await Promise.all(refused)) expect(res.status).toBe(403);
    await logOut();
  });

  it('hides the administration from an operator, and the api refuses them (403)', async () => {
    const { page } = browser;
    await logIn(Role.Operator);
    expect(await page.getByRole('link', { name: '管理' }).count()).toBe(0);
    const op = await auth(Role.Operator);
    const viewerId = sut.tenants[0].operators[Role.Viewer].id;
    expect((await sut.http.get(`/v1/municipalities/${mid}/operators`).set(...op)).status).toBe(403);
    expect(
      (
        await sut.http
          .patch(`/v1/municipalities/${mid}/operators/${viewerId}`)
          .set(...op)
          .send({ role: 'admin' })
      ).status,
    ).toBe(403);
    await logOut();
  });

  it('lets an admin change a setting and an operator role, and finds both in the filtered audit log', async () => {
    const { page } = browser;
    await logIn(Role.Admin);
    await page.getByRole('link', { name: '管理' }).click();
    await page.getByRole('heading', { level: 1, name: '管理' }).waitFor();

    const settings = page.getByRole('region', { name: '自治体の設定' });
    const t1 = settings.getByLabel('第 1 段階: 他の手段で再送（分）');
    expect(await t1.inputValue()).toBe('10');
    await t1.fill('15');
    await settings.getByLabel('訓練も投稿する').check();
    await settings.getByRole('button', { name: '設定を保存' }).click();
    await settings.getByText('設定を保存しました。').waitFor();
    const admin = await auth(Role.Admin);
    const municipality = await sut.http.get(`/v1/municipalities/${mid}`).set(...admin);
    expect(municipality.body.settings).toMatchObject({
      escalation: { t1Minutes: 15, t2Minutes: 20, t3Minutes: 40 },
      publicPosts: { drills: true, lineBroadcast: false, x: false },
    });

    // the api's own check names a bad value
    await t1.fill('30');
    await settings.getByRole('button', { name: '設定を保存' }).click();
    await settings.getByRole('alert').filter({ hasText: 't1Minutes < t2Minutes' }).waitFor();
    await t1.fill('15');

    const accounts = page.getByRole('region', { name: '職員アカウントと権限' });
    const viewerEmail = sut.tenants[0].operators[Role.Viewer].email;
    await accounts.getByLabel(`${viewerEmail} の権限`).selectOption('operator');
    await accounts.getByText(`${viewerEmail} を更新しました。`).waitFor();
    const list = await sut.http.get(`/v1/municipalities/${mid}/operators`).set(...admin);
    expect(list.body.find((o: { email: string }) => o.email === viewerEmail).role).toBe('operator');
    // an admin cannot lower their own role: the control is not offered
    expect(
      await accounts.getByLabel(`${sut.tenants[0].operators[Role.Admin].email} の権限`).isDisabled(),
    ).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-ja');

    const audit = page.getByRole('region', { name: '監査ログ' });
    await audit.getByLabel('実行者').selectOption({ label: sut.tenants[0].operators[Role.Admin].email });
    await audit.getByLabel('操作（例: operator、alert.send）').fill('operator');
    await audit.getByRole('button', { name: '絞り込む' }).click();
    const update = audit.getByRole('row', { name: /operator\.update/ });
    await update.waitFor();
    expect(await update.textContent()).toContain('"role":"operator"');
    expect(await audit.getByRole('row', { name: /municipality\.update/ }).count()).toBe(0);

    await audit.getByLabel('操作（例: operator、alert.send）').fill('municipality.update');
    await audit.getByRole('button', { name: '絞り込む' }).click();
    await audit.getByRole('row', { name: /municipality\.update/ }).waitFor();
    expect(await audit.getByRole('row', { name: /operator\.update/ }).count()).toBe(0);

    await audit.getByLabel('開始日時').fill('2099-01-01T00:00');
    await audit.getByRole('button', { name: '絞り込む' }).click();
    await audit.getByText('条件に合う記録はありません。').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-audit-ja');

    // the same screens in English, as accessible
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByRole('region', { name: 'Operator accounts and roles' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-en');
    await page.getByRole('link', { name: 'Roster' }).click();
    await page.getByRole('region', { name: 'Household receivers' }).getByText('87 %').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roster-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
  });
});
