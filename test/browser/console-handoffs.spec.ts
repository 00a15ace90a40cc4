import { readFileSync } from 'node:fs';
import { Role } from '@bousai/domain';
import type { ApiHarness, Tenant } from '../e2e/support/api-harness';
import { seedDistricts } from '../e2e/support/districts-seed';
import { type Browser, screenshot, seriousViolations } from './support/browser';
import { type ConsoleApi, startConsoleApi } from './support/console-api';

/**
 * Issue 20 / docs/evacuation.md §4 in a real Chromium against the real api: an issued order's hand-off record
 * with its checklist, the 2018 warning while L-Alert is pending after the area mail, the L-Alert CSV with its BOM;
 * a viewer sees no button. (The Now screen's feed drafts: console-telegram.spec.ts, from a real telegram.)
 */
describe('console: L-Alert and area-mail hand-off in Chromium', () => {
  let c: ConsoleApi;
  let sut: ApiHarness;
  let browser: Browser;
  let yasugi: Tenant;
  let api: string;
  let orderId: string;

  const bearer = (role: Role) => c.bearer(role);
  const signIn = (role: Role, path: string) => c.signIn(role, path);
  const signOut = () => c.signOut();

  beforeAll(async () => {
    c = await startConsoleApi();
    ({ sut, browser, tenant: yasugi, api } = c);
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
      ],
    );
    const created = await sut.http
      .post(`${api}/evacuation-orders`)
      .set(...(await bearer(Role.Operator)))
      .send({ hazard: 'flood', level: 4, districtCodes: ['02'] });
    expect(created.status).toBe(201);
    orderId = created.body.id as string;
    const issued = await sut.http
      .post(`${api}/evacuation-orders/${orderId}/issue`)
      .set(...(await bearer(Role.Approver)))
      .send({ expectedVersion: created.body.version });
    expect(issued.status).toBe(200);
  });

  afterAll(() => c?.close());

  it('after issuing, the hand-off record shows; area mail done with L-Alert pending warns; L-Alert done clears it', async () => {
    const { page } = browser;
    await signIn(Role.Operator, `/orders/${orderId}`);
    const panel = page.getByRole('region', { name: 'Lアラート・緊急速報メールの引継ぎ' });
    const record = panel.getByRole('article', { name: /発令・避難指示/ });
    await record.waitFor();
    expect(await record.textContent()).toContain('荒島町');
    // the drafted area mail, within the carriers' limits
    const mail = record.getByRole('region', { name: '緊急速報メール' });
    await mail
      .getByText(/\/15 文字/)
      .first()
      .waitFor();
    await mail
      .getByText(/\/200 文字/)
      .first()
      .waitFor();

    // the L-Alert CSV: fetched with the token, saved, UTF-8 with BOM
    const lalert = record.getByRole('region', { name: 'Lアラート' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      lalert.getByRole('button', { name: 'CSV をダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^lalert-.*\.csv$/);
    const csv = readFileSync(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('荒島町');

    expect(await page.getByRole('alert').count()).toBe(0);
    await mail.getByRole('button', { name: '配信済みにする' }).click();
    const warning = record.getByRole('alert');
    await warning.getByText(/Lアラートが未入力です/).waitFor();
    await mail.getByText(/完了/).first().waitFor();
    expect(await mail.getByRole('button', { name: '配信済みにする' }).count()).toBe(0);
    // the orders screen's compact list shows the same warning
    await page.getByRole('link', { name: '避難情報' }).first().click();
    const open = page.getByRole('region', { name: '未完了の引継ぎ（Lアラート・緊急速報メール）' });
    await open.getByText('Lアラート未入力').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goBack();
    await warning.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'order-handoff-warning-ja');

    // done with a note (the prefecture system's receipt number), shown beside who and when
    await lalert.getByLabel('メモ（受付番号など・任意）').fill('  受付番号 5678 ');
    await lalert.getByRole('button', { name: 'Lアラート入力済みにする' }).click();
    await warning.waitFor({ state: 'detached' });
    expect(await record.getByRole('alert').count()).toBe(0);
    await lalert.getByText(/完了/).waitFor();
    const settled = await lalert.getByText(/受付番号 5678/).textContent();
    expect(settled).toContain(yasugi.operators[Role.Operator].email);
    const handoffs = await sut.http.get(`${api}/evacuation-handoffs`).set(...(await bearer(Role.Viewer)));
    expect(handoffs.status).toBe(200);
    expect(handoffs.body[0].open).toEqual([]);
    expect(handoffs.body[0].warnings).toEqual([]);
    expect(handoffs.body[0].items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: 'lalert',
          note: '受付番号 5678',
          byName: yasugi.operators[Role.Operator].email,
        }),
        expect.objectContaining({ target: 'area_mail', note: null }),
      ]),
    );
    await screenshot(page, 'order-handoff-done-ja');
    await signOut();
  });

  it('a viewer sees the checklist but no button (the api refuses: 403); an operator waives the area mail with a reason', async () => {
    const { page } = browser;
    const created = await sut.http
      .post(`${api}/evacuation-orders`)
      .set(...(await bearer(Role.Operator)))
      .send({ hazard: 'landslide', level: 3, districtCodes: ['01'] });
    const issued = await sut.http
      .post(`${api}/evacuation-orders/${created.body.id}/issue`)
      .set(...(await bearer(Role.Approver)))
      .send({ expectedVersion: created.body.version });
    expect(issued.status).toBe(200);
    await signIn(Role.Viewer, `/orders/${created.body.id}`);
    const record = page
      .getByRole('region', { name: 'Lアラート・緊急速報メールの引継ぎ' })
      .getByRole('article', { name: /発令/ });
    await record.waitFor();
    await record
      .getByText(/未完了/)
      .first()
      .waitFor();
    expect(await record.getByRole('button', { name: /済みにする|配信しない/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    const list = await sut.http.get(`${api}/evacuation-handoffs`).set(...(await bearer(Role.Viewer)));
    const id = (list.body as { id: string; orderId: string }[]).find(
      (h) => h.orderId === created.body.id,
    )!.id;
    const refused = await sut.http
      .post(`${api}/evacuation-handoffs/${id}/items/lalert/done`)
      .set(...(await bearer(Role.Viewer)))
      .send({});
    expect(refused.status).toBe(403);
    await signOut();

    // an operator waives the area mail with a reason; L-Alert stays to do, with no warning
    await signIn(Role.Operator, `/orders/${created.body.id}`);
    const mail = record.getByRole('region', { name: '緊急速報メール' });
    await mail.getByLabel('配信しない理由').fill('夜間のため防災無線で周知');
    await mail.getByRole('button', { name: '配信しない' }).click();
    await mail.getByText('配信不要').waitFor();
    await mail.getByText(/夜間のため防災無線で周知/).waitFor();
    expect(await record.getByRole('alert').count()).toBe(0);
    await record.getByRole('button', { name: 'Lアラート入力済みにする' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signOut();
  });
});
