import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import type { ApiHarness, Tenant } from '../e2e/support/api-harness';
import { seedDistricts } from '../e2e/support/districts-seed';
import { type Browser, screenshot, seriousViolations } from './support/browser';
import { type ConsoleApi, startConsoleApi } from './support/console-api';

const FIXTURES = join(__dirname, '../fixtures/shelters');
const LEVEL4_FLOOD = '警戒レベル4 避難指示（洪水）';

/**
 * Issue 20, evacuation orders in a real Chromium against the real api: an operator drafts a Level 4 flood order,
 * an approver issues it (the two-person rule), the in-force list and the Now screen show it with its households,
 * it is lifted (解除); another is retracted (取消) with a reason after a version conflict; a viewer sees no command.
 */
describe('console: evacuation orders in Chromium', () => {
  let c: ConsoleApi;
  let sut: ApiHarness;
  let browser: Browser;
  let yasugi: Tenant;
  let api: string;

  const bearer = (role: Role) => c.bearer(role);
  const signOut = () => c.signOut();

  /** Signs in on the orders screen. */
  async function signIn(role: Role) {
    await c.signIn(role, '/orders');
    await browser.page.getByRole('heading', { level: 1, name: '避難情報' }).waitFor();
  }

  beforeAll(async () => {
    c = await startConsoleApi();
    ({ sut, browser, tenant: yasugi, api } = c);

    // 飯島町: one household of one; 荒島町: two households of three people
    await seedDistricts(
      sut,
      yasugi,
      [
        ['01', '飯島町'],
        ['02', '荒島町'],
      ],
      [
        ['H1', '01', 1],
        ['H2', '02', 2],
        ['H3', '02', 1],
      ],
    );
    const op = await bearer(Role.Operator);
    const imported = await sut.http
      .post(`${api}/shelters/imports`)
      .set(...op)
      .attach('file', readFileSync(join(FIXTURES, 'da-emergency-sites.utf8.csv')), {
        filename: 'sites.csv',
        contentType: 'text/csv',
      });
    expect(imported.status).toBe(200);
    const shelters = (await sut.http.get(`${api}/shelters`).set(...op)).body as {
      id: string;
      externalId: string;
    }[];
    const e001 = shelters.find((s) => s.externalId === 'E001')!;
    expect((await sut.http.post(`${api}/shelters/${e001.id}/open`).set(...op)).status).toBe(200);
  });

  afterAll(() => c?.close());

  it('an operator drafts a Level 4 flood order for 荒島町 from the form', async () => {
    const { page } = browser;
    await signIn(Role.Operator);
    const form = page.getByRole('region', { name: '新しい避難情報（下書き）' });
    await form.getByLabel('災害の種類').selectOption('flood');
    await form.getByRole('radio', { name: '警戒レベル4 避難指示' }).check();
    // every official name is offered
    await form.getByRole('radio', { name: '警戒レベル3 高齢者等避難' }).waitFor();
    await form.getByRole('radio', { name: '警戒レベル5 緊急安全確保' }).waitFor();
    await form.getByRole('checkbox', { name: '荒島町（2 世帯）' }).check();
    await form.getByRole('button', { name: '下書きを作成' }).click();
    await form.getByText('下書きを作成しました').waitFor();

    const drafts = page.getByRole('region', { name: '下書き（未発令）' });
    const row = drafts.getByRole('row', { name: new RegExp(LEVEL4_FLOOD) });
    await row.waitFor();
    expect(await row.textContent()).toContain('荒島町');
    expect(await row.textContent()).toContain(yasugi.operators[Role.Operator].email);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'orders-draft-ja');
    await signOut();
  });

  it('an approver issues it (the second person): the in-force list and the Now screen show it with households', async () => {
    const { page } = browser;
    await signIn(Role.Approver);
    await page.getByRole('button', { name: `発令: ${LEVEL4_FLOOD}` }).click();
    await page.getByRole('status').filter({ hasText: '現在の状態: 発令中' }).waitFor();

    const inForce = page.getByRole('region', { name: '発令中の避難情報（地区別）' });
    const row = inForce.getByRole('row', { name: /荒島町/ });
    await row.waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(cells[0]).toBe('警戒レベル4 避難指示');
    expect(cells[1]).toBe('洪水');
    expect(cells.slice(3, 5)).toEqual(['2', '3']);
    expect(await inForce.getByRole('row', { name: /飯島町/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'orders-ja');

    // the alert went out at once: approved by the issuer, written by the operator
    const [order] = (
      await sut.http.get(`${api}/evacuation-orders?status=issued`).set(...(await bearer(Role.Viewer)))
    ).body as { id: string }[];
    const detail = await sut.http
      .get(`${api}/evacuation-orders/${order.id}`)
      .set(...(await bearer(Role.Viewer)));
    expect(detail.body.history[0].alert.status).not.toBe('pending_approval');

    await page.getByRole('link', { name: '現在の状況' }).click();
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
    const panel = page.getByRole('region', { name: '発令中の避難情報（地区別）' });
    await panel
      .getByRole('row', { name: /荒島町/ })
      .getByRole('cell', { name: '3', exact: true })
      .waitFor();
    const shelters = page.getByRole('region', { name: '開設中の避難所' });
    await shelters.getByRole('row').nth(1).waitFor();
    expect(await shelters.getByRole('row').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'now-orders-ja');
  });

  it('from the detail, the approver adds 飯島町 to the order and raises it to Level 5', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: '避難情報', exact: true }).click();
    await page
      .getByRole('region', { name: '発令中の避難情報', exact: true })
      .getByRole('link', { name: LEVEL4_FLOOD })
      .click();
    await page.getByRole('heading', { level: 1, name: LEVEL4_FLOOD }).waitFor();
    const summary = page.getByRole('region', { name: '概要' });
    const cellsOf = async (district: string) =>
      (
        await summary
          .getByRole('row', { name: new RegExp(district) })
          .getByRole('cell')
          .allTextContents()
      ).map((c) => c.trim());
    expect(await cellsOf('荒島町')).toEqual(['2', '3']);

    const commands = page.getByRole('region', { name: '操作' });
    await commands.getByRole('checkbox', { name: '飯島町（1 世帯）' }).check();
    await commands.getByRole('button', { name: '地区を追加' }).click();
    await summary.getByRole('row', { name: /飯島町/ }).waitFor();
    expect(await cellsOf('飯島町')).toEqual(['1', '1']);

    await commands.getByLabel('新しい警戒レベル').selectOption({ label: '引上げ: 警戒レベル5 緊急安全確保' });
    await commands.getByRole('button', { name: 'レベルを変更' }).click();
    await page.getByRole('heading', { level: 1, name: '警戒レベル5 緊急安全確保（洪水）' }).waitFor();
    const history = page.getByRole('region', { name: '履歴' });
    await history.getByRole('row', { name: /対象地区追加/ }).waitFor();
    await history.getByRole('row', { name: /4 → 5/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the approver lifts it (解除) after confirming: the in-force list is empty and the history links the alerts', async () => {
    const { page } = browser;
    // a telegram ended Level 5 meanwhile: the feeds' proposal to lift, which the lift applies
    const orderId = new URL(page.url()).pathname.split('/').at(-1)!;
    await sut.db.dataSource.query(
      `INSERT INTO evacuation_proposal (municipality_id, order_id, kind, hazard, level, district_codes)
       VALUES ($1, $2, 'lift', 'flood', 5, '{02}')`,
      [yasugi.municipalityId, orderId],
    );
    await page.getByRole('button', { name: '解除（危険が去った）' }).click();
    const dialog = page.getByRole('dialog', { name: '避難情報を解除しますか？' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '解除する' }).click();
    await page.getByRole('status').filter({ hasText: '現在の状態: 解除' }).waitFor();
    const history = page.getByRole('region', { name: '履歴' });
    await history.getByRole('row', { name: /解除/ }).waitFor();
    const alertLinks = history.getByRole('link');
    // issue, extend, raise and lift: each step's alert
    expect(await alertLinks.count()).toBe(4);
    expect(await alertLinks.first().getAttribute('href')).toMatch(/^\/console\/alerts\/[0-9a-f-]{36}$/);
    // nothing left to command
    expect(await page.getByRole('region', { name: '操作' }).count()).toBe(0);
    // the proposal is applied, by the approver's name (their e-mail: they have no display name)
    await page
      .getByRole('region', { name: '気象庁の情報による提案' })
      .getByRole('row', { name: /警戒レベル5 緊急安全確保 の解除/ })
      .filter({ hasText: `（${yasugi.operators[Role.Approver].email}）` })
      .filter({ hasText: '適用' })
      .waitFor();

    await page.getByRole('link', { name: '避難情報の一覧へ戻る' }).click();
    await page.getByText('発令中の避難情報はありません。').first().waitFor();
  });

  it('another order is retracted (取消) with a reason; a stale version is refused with a reload', async () => {
    const { page } = browser;
    const created = await sut.http
      .post(`${api}/evacuation-orders`)
      .set(...(await bearer(Role.Operator)))
      .send({ hazard: 'landslide', level: 3, districtCodes: ['01'] });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const issued = await sut.http
      .post(`${api}/evacuation-orders/${id}/issue`)
      .set(...(await bearer(Role.Approver)))
      .send({ expectedVersion: created.body.version });
    expect(issued.status).toBe(200);

    await page.goto(`${c.base}/console/orders/${id}`);
    const name = '警戒レベル3 高齢者等避難（土砂災害）';
    await page.getByRole('heading', { level: 1, name }).waitFor();
    // meanwhile someone raises it: the page's version is stale
    const raised = await sut.http
      .post(`${api}/evacuation-orders/${id}/level`)
      .set(...(await bearer(Role.Approver)))
      .send({ expectedVersion: issued.body.order.version, level: 4 });
    expect(raised.status).toBe(200);

    // 取消 looks and reads differently from 解除, and asks for a reason
    const retract = page.getByRole('button', { name: '取消（誤って発令した）' });
    expect(await retract.getAttribute('class')).toContain('order-retract');
    expect(await page.getByRole('button', { name: '解除（危険が去った）' }).getAttribute('class')).toContain(
      'order-lift',
    );
    await retract.click();
    const dialog = page.getByRole('dialog', { name: '避難情報を取り消しますか？（誤発令）' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('これは解除ではありません');
    const confirm = dialog.getByRole('button', { name: '取り消す' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('取消の理由（必須）').fill('対象地区の取り違え');
    await confirm.click();
    await page.getByRole('alert').filter({ hasText: '他の人が先に更新しました' }).waitFor();
    await page.getByRole('button', { name: '最新の状態を読み込む' }).click();
    await page.getByRole('heading', { level: 1, name: '警戒レベル4 避難指示（土砂災害）' }).waitFor();

    await page.getByRole('button', { name: '取消（誤って発令した）' }).click();
    await dialog.getByLabel('取消の理由（必須）').fill('対象地区の取り違え');
    await dialog.getByRole('button', { name: '取り消す' }).click();
    await page.getByRole('status').filter({ hasText: '現在の状態: 取消（誤発令）' }).waitFor();
    const history = page.getByRole('region', { name: '履歴' });
    await history.getByText('対象地区の取り違え').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'order-detail-retracted-ja');
    await signOut();
  });

  it('a viewer sees the orders but no command, and the api refuses the viewer (403)', async () => {
    const { page } = browser;
    const created = await sut.http
      .post(`${api}/evacuation-orders`)
      .set(...(await bearer(Role.Operator)))
      .send({ hazard: 'flood', level: 4, wholeMunicipality: true });
    expect(created.status).toBe(201);

    await signIn(Role.Viewer);
    await page.getByText('閲覧者は避難情報を操作できません。').waitFor();
    const drafts = page.getByRole('region', { name: '下書き（未発令）' });
    await drafts.getByRole('row', { name: new RegExp(LEVEL4_FLOOD) }).waitFor();
    expect(await page.getByRole('button', { name: /発令|破棄/ }).count()).toBe(0);
    expect(await page.getByRole('region', { name: '新しい避難情報（下書き）' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await drafts.getByRole('link', { name: LEVEL4_FLOOD }).click();
    await page.getByRole('heading', { level: 1, name: LEVEL4_FLOOD }).waitFor();
    expect(await page.getByRole('region', { name: '操作' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /発令|解除|取消/ }).count()).toBe(0);

    const viewer = await bearer(Role.Viewer);
    const refused = await sut.http
      .post(`${api}/evacuation-orders/${created.body.id}/issue`)
      .set(...viewer)
      .send({ expectedVersion: created.body.version });
    expect(refused.status).toBe(403);
    expect(
      (
        await sut.http
          .post(`${api}/evacuation-orders`)
          .set(...viewer)
          .send({ hazard: 'flood', level: 4, wholeMunicipality: true })
      ).status,
    ).toBe(403);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Level 4 Evacuation instruction (避難指示) (Flood)' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
  });
});
