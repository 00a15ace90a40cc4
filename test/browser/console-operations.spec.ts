import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { FeedSource, ResponseChannel, Role, SafetyStatus } from '@bousai/domain';
import { FeedDocumentRepository, SafetyRepository } from '@bousai/persistence';
import { eventually, startStack, type Stack } from '../e2e/fanout/support/fanout-stack';
import { PASSWORD } from '../e2e/support/api-harness';
import {
  type Browser,
  CONSOLE_DIR,
  ensureConsoleBuilt,
  launchChromium,
  REPO_ROOT,
  screenshot,
  seriousViolations,
} from './support/browser';

const FIXTURES = join(REPO_ROOT, 'test/fixtures');

/**
 * Issue 20's operations screens in a real Chromium against the real api, fanout (to a fake FCM), Postgres and Redis:
 * shelters opened and their crowding set, a drill launched and followed to its report and CSV, coverage per
 * district, a real telegram's dry-run; a viewer sees no action button and the api refuses them anyway.
 */
describe('operator console: shelters, drills, coverage, feeds in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let mid: string;
  let residents: string[] = [];
  const cspViolations: string[] = [];

  async function seedTown(): Promise<void> {
    const q = stack.api.db.dataSource.query.bind(stack.api.db.dataSource);
    await q(`UPDATE municipality SET settings = settings || '{"singleStepKinds":["drill"]}' WHERE id = $1`, [
      mid,
    ]);
    const areas = await q(
      `INSERT INTO area (municipality_id, code, name) VALUES ($1, '01', '荒島'), ($1, '02', '赤江') RETURNING id`,
      [mid],
    );
    // six households of one resident with the app; the first of each district is a 要援護者
    for (let i = 0; i < 6; i++) {
      const [{ id: hh }] = await q(
        `INSERT INTO household (municipality_id, external_id, area_id, address)
         VALUES ($1, $2, $3, $4) RETURNING id`,
        [mid, `H-${i + 1}`, areas[i % 2].id, `安来市荒島町${i + 1}`],
      );
      const [{ id: r }] = await q(
        `INSERT INTO resident (municipality_id, external_id, household_id, name, needs_assistance, consent_scopes)
         VALUES ($1, $2, $3, $4, $5, '{alerts,safety}') RETURNING id`,
        [mid, `R-${i + 1}`, hh, `住民${i + 1}`, i < 2],
      );
      residents.push(r);
      await q(
        `INSERT INTO endpoint (municipality_id, resident_id, channel, address) VALUES ($1, $2, 'fcm', gen_random_uuid()::text)`,
        [mid, r],
      );
    }
    const documents = stack.api.app.get(FeedDocumentRepository);
    const parsed = await documents.storeRaw({
      source: FeedSource.JmaPull,
      feedName: 'extra',
      body: Buffer.from('<Report>ok</Report>'),
    });
    await documents.recordParsed(parsed.documentId, 'VPWW54', { ok: true });
    const broken = await documents.storeRaw({ source: FeedSource.JmaPull, body: Buffer.from('<Report>') });
    await documents.recordFailed(broken.documentId, 'XML_MALFORMED', 'unexpected end of document');
  }

  async function login(role: Role): Promise<void> {
    const { page } = browser;
    await page.goto(`${base}/console/`);
    await page.getByLabel('メールアドレス').fill(stack.api.tenants[0].operators[role].email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
  }

  async function open(navName: string, heading: string): Promise<void> {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'メインメニュー' })
      .getByRole('link', { name: navName })
      .click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    stack = await startStack({
      api: {
        CONSOLE_DIR,
        LIVE_PUSH_INTERVAL_MS: '500',
        ONE_TAP_SECRET: 'browser-shelter-qr-secret-0123456789-abcdef',
      },
    });
    base = stack.url;
    mid = stack.api.tenants[0].municipalityId;
    residents = [];
    await seedTown();

    browser = await launchChromium();
    browser.page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await browser.context.route(
      (url) => url.origin !== base,
      (route) => route.abort('blockedbyclient'),
    );
    // an administrator: the drill goes out at once (an operator's drill waits for an approver)
    await login(Role.Admin);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('imports the shelter list with its rejected rows by line, opens a shelter, sets its crowding, shows its QR code', async () => {
    const { page } = browser;
    await open('避難所', '避難所');
    await page.getByText('避難所はまだ登録されていません').waitFor();

    await page
      .getByLabel('CSVファイル')
      .setInputFiles(join(FIXTURES, 'shelters/da-emergency-sites.utf8.csv'));
    await page.getByRole('button', { name: '取り込む' }).click();
    const rejected = page.getByRole('table', { name: '取り込めなかった行' });
    await rejected.waitFor();
    const lines = (await rejected.getByRole('rowheader').allTextContents()).map(Number);
    expect(lines).toEqual(expect.arrayContaining([4, 5, 6, 7]));

    const list = page.getByRole('region', { name: '避難所・避難場所の一覧' });
    const first = list.getByRole('row').nth(1);
    await first.waitFor();
    const name = (await first.getByRole('rowheader').textContent()) ?? '';
    expect(await first.textContent()).toContain('閉鎖');

    await first.getByRole('button', { name: '開設' }).click();
    await first.getByText('開設中').waitFor();
    await first.getByLabel(`${name} の混雑状況`).selectOption({ label: 'やや混雑' });
    await first.getByRole('button', { name: '混雑状況を設定' }).click();
    await first.locator('.crowding', { hasText: 'やや混雑' }).waitFor();

    const shelters = await stack.api.http
      .get(`/v1/municipalities/${mid}/shelters`)
      .set(...(await stack.auth(Role.Viewer)));
    expect(shelters.body.find((s: { name: string }) => s.name === name)).toMatchObject({
      status: 'open',
      crowding: 'somewhat_crowded',
      crowdingSource: 'staff',
    });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-shelters-ja');

    await first.getByRole('button', { name: 'QRコード' }).click();
    const dialog = page.getByRole('dialog', { name: `受付用QRコード：${name}` });
    await dialog.getByRole('img', { name: `受付用QRコード：${name}` }).waitFor();
    expect(await dialog.textContent()).toContain('/app/#/shelter-check-in/');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-shelter-qr-ja');
    await dialog.getByRole('button', { name: '閉じる' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('launches a drill: deliveries and answers move live, the report and its CSV come back', async () => {
    const { page } = browser;
    await open('訓練', '訓練');
    await page.getByLabel('件名').fill('総合防災訓練');
    await page.getByRole('button', { name: '実施する' }).click();
    await page.getByText('訓練を開始しました。').waitFor();

    const row = page.getByRole('region', { name: '訓練の一覧' }).getByRole('row', { name: /総合防災訓練/ });
    await row.waitFor();
    const [{ alertId }] = await stack.api.db.dataSource.query<{ alertId: string }[]>(
      `SELECT id AS "alertId" FROM alert WHERE texts->'ja'->>'title' = '【訓練】総合防災訓練'`,
    );
    // the fanout sends to the fake FCM; the live counters reach the page
    await eventually(() => stack.fcm.server.received.length === 6);
    const cells = async () => (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
    await row.locator('td', { hasText: /^6$/ }).first().waitFor();

    // four answer; the list follows
    const safety = stack.api.app.get(SafetyRepository);
    for (const residentId of residents.slice(0, 4)) {
      await safety.record({
        municipalityId: mid,
        alertId,
        residentId,
        status: SafetyStatus.Safe,
        note: null,
        location: null,
        channel: ResponseChannel.App,
        recordedBy: null,
      });
    }
    const progress = row.getByRole('progressbar', { name: '【訓練】総合防災訓練 の回答状況' });
    await page.waitForFunction((el) => el?.getAttribute('value') === '4', await progress.elementHandle());
    expect(await cells()).toEqual(expect.arrayContaining(['6', '4']));

    await row.getByRole('button', { name: '【訓練】総合防災訓練 のレポート' }).click();
    const report = page.getByRole('region', { name: 'レポート：【訓練】総合防災訓練' });
    await report.waitFor();
    const groups = report.getByRole('region', { name: '対象区分別の確認率' });
    const all = groups.getByRole('row', { name: /^全体/ });
    await all.waitFor();
    expect((await all.getByRole('cell').allTextContents()).slice(0, 3)).toEqual(['6', '4', '66.7%']);
    await report.getByRole('img', { name: /経過時間/ }).waitFor();
    await report.getByRole('table', { name: '確認率が各割合に達するまでの時間（分）' }).waitFor();
    await report.getByRole('region', { name: '地区別' }).getByRole('rowheader', { name: '荒島' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-drills-ja');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      report.getByRole('button', { name: 'CSVをダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`drill-${alertId}.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    const api = await stack.api.http
      .get(`/v1/municipalities/${mid}/drills/${alertId}/report`)
      .query({ format: 'csv' })
      .set(...(await stack.auth(Role.Viewer)));
    // the same CSV as the api gives, apart from the moment it was generated
    const stable = (text: string) => text.replace(/^作成 \/ generated at,.*$/m, '');
    expect(stable(csv)).toBe(stable(api.text));
    expect(csv).toContain('全体 / all,6,4,66.7');
  });

  it('schedules a drill for later and cancels it before it goes out', async () => {
    const { page } = browser;
    await page.getByLabel('件名').fill('夜間参集訓練');
    await page.getByRole('radio', { name: '日時を指定' }).check();
    await page.getByLabel('実施日時').fill('2099-09-01T20:00');
    await page.getByRole('button', { name: '予約する' }).click();
    await page.getByText('訓練を予約しました。').waitFor();
    const row = page.getByRole('region', { name: '訓練の一覧' }).getByRole('row', { name: /夜間参集訓練/ });
    await row.getByText(/予約済み/).waitFor();
    await row.getByRole('button', { name: '予約を取り消す' }).click();
    await row.getByText(/取消/).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
  });

  it('shows coverage per district against 100 % and the uncovered households, 要援護者 first', async () => {
    const { page } = browser;
    await open('到達カバー率', '到達カバー率');
    const areas = page.getByRole('region', { name: '地区別のカバー率' });
    await areas.getByRole('rowheader', { name: '荒島' }).waitFor();
    await areas.getByRole('rowheader', { name: '赤江' }).waitFor();
    expect(await areas.getByRole('meter').count()).toBe(2);
    const uncovered = page.getByRole('region', { name: /到達が確認できない世帯/ });
    await uncovered.getByRole('row').nth(1).waitFor();
    const flags = await uncovered
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.textContent?.includes('要援護者') ?? false));
    // every 要援護者 household before any other
    expect(flags.indexOf(false) === -1 || !flags.slice(flags.indexOf(false)).includes(true)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-coverage-ja');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Coverage' }).waitFor();
    await page
      .getByRole('region', { name: 'Coverage by district' })
      .getByRole('rowheader', { name: '荒島' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-coverage-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await page.getByRole('heading', { level: 1, name: '到達カバー率' }).waitFor();
  });

  it('shows the feeds with their outcome and a dry-run of a real VPWW55 telegram with the alert it would make', async () => {
    const { page } = browser;
    await open('受信電文とルール', '受信電文とルール');
    await page
      .getByRole('region', { name: '最新の受信電文' })
      .getByRole('cell', { name: 'VPWW54' })
      .waitFor();
    await page.getByRole('region', { name: '解析に失敗した電文' }).getByText('XML_MALFORMED').waitFor();
    await page.getByRole('region', { name: 'この自治体の配信ルール' }).getByRole('row').nth(1).waitFor();

    await page
      .getByLabel('ファイルから読み込む')
      .setInputFiles(join(FIXTURES, 'feeds/jmaxml/weather/vpww55_shimane_20241102_r06-heavy-rain.xml'));
    const dryRun = page.getByRole('region', { name: '試行（ドライラン）' });
    await dryRun.getByRole('button', { name: '試行する' }).click();
    const plan = dryRun.getByRole('row', { name: /警報を作成/ });
    await plan.waitFor();
    expect(await plan.textContent()).toContain('【気象庁発表】安来市 レベル３大雨警報');
    expect(await plan.textContent()).toContain('weather-warning');
    expect(await plan.textContent()).toContain('承認が必要');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-feeds-ja');

    // an administrator edits the rule set as JSON: a rule renamed here is what the api then lists
    const rules = page.getByRole('region', { name: 'この自治体の配信ルール' });
    await rules.getByRole('button', { name: 'ルールを編集（JSON）' }).click();
    const editor = rules.getByLabel('ルール（JSON、評価順）');
    const edited = (JSON.parse(await editor.inputValue()) as { name: string }[]).map((r, i) =>
      i === 0 ? { ...r, name: '震度5弱以上（試験）' } : r,
    );
    await editor.fill(JSON.stringify(edited));
    await rules.getByRole('button', { name: 'ルールを保存' }).click();
    await rules.getByText('ルールを保存しました。').waitFor();
    await rules.getByRole('rowheader', { name: '震度5弱以上（試験）' }).waitFor();
  });

  it('a viewer sees the screens without action buttons, and the api refuses their actions (403)', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    await login(Role.Viewer);

    await open('避難所', '避難所');
    const list = page.getByRole('region', { name: '避難所・避難場所の一覧' });
    await list.getByRole('row').nth(1).waitFor();
    expect(await list.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('region', { name: '避難所一覧の取り込み' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await open('訓練', '訓練');
    await page.getByRole('region', { name: '訓練の一覧' }).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('region', { name: '訓練を実施' }).count()).toBe(0);

    await open('受信電文とルール', '受信電文とルール');
    await page.getByRole('region', { name: 'この自治体の配信ルール' }).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('region', { name: '試行（ドライラン）' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'ルールを編集（JSON）' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    const viewer = await stack.auth(Role.Viewer);
    const http = request(base);
    const shelterId = (await http.get(`/v1/municipalities/${mid}/shelters`).set(...viewer)).body[0]
      .id as string;
    const refused = [
      await http.post(`/v1/municipalities/${mid}/shelters/${shelterId}/open`).set(...viewer),
      await http
        .put(`/v1/municipalities/${mid}/shelters/${shelterId}/crowding`)
        .set(...viewer)
        .send({ level: 'full' }),
      await http
        .post(`/v1/municipalities/${mid}/drills`)
        .set(...viewer)
        .send({}),
      await http
        .post(`/v1/municipalities/${mid}/feed-rules/dry-run`)
        .set(...viewer)
        .send({ document: '<Report/>' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(cspViolations).toEqual([]);
  });
});
