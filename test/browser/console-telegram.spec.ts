import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { Role } from '@bousai/domain';
import { testQueuePrefix } from '@bousai/testing';
import type { ApiHarness, Tenant } from '../e2e/support/api-harness';
import { seedDistricts } from '../e2e/support/districts-seed';
import { relayTelegram, startIngest } from '../e2e/support/ingest-relay';
import { dropQueueKeys, eventually } from '../integration/fanout/support/fanout-harness';
import { jmaFixture } from '../integration/ingest/ingest-harness';
import { type Browser, screenshot, seriousViolations } from './support/browser';
import { type ConsoleApi, startConsoleApi } from './support/console-api';

// the api, the ingest and Chromium share this process; nothing here asserts on time
jest.setTimeout(120_000);

/** R06 VPWW57 (京都府 高潮): レベル４高潮危険警報 for 舞鶴市, レベル３高潮警報 for 京丹後市 — the e2e flow's telegram. */
const TELEGRAM = readFileSync(jmaFixture('weather/vpww57_kyoto_20200622_r06-storm-surge.xml'), 'utf8');
/** The telegram's 市町村等 codes. */
const CITY = { maizuru: '2620200', kyotango: '2621200' } as const;
/** The drafts as the console names them. */
const DRAFT = { level4: '警戒レベル4 避難指示（高潮）', level3: '警戒レベル3 高齢者等避難（高潮）' } as const;
/** The display names the operator and the approver are shown by. */
const NAME = { operator: '防災 一郎', approver: '承認 花子' } as const;

interface Order {
  id: string;
  status: string;
  level: number;
  source: string;
  sourceDocumentId: string | null;
  createdByName: string | null;
  version: number;
  districts: { code: string }[];
  history: { action: string; actorId: string; actorName: string; alert: { id: string; status: string } }[];
}

/**
 * Issue 20's done-when in a real Chromium: "a レベル４ telegram's draft is issued as 避難指示 and later lifted".
 * The real JMA telegram goes through the real ingest (relay endpoint, parse, feed rules); its draft shows on the
 * Now panel as the feed's; an operator issues it by clicking, the approver approves its alert (the two-person
 * rule), the operator lifts it and the approver approves the lift. Every step is checked in the api too, and the
 * operators are shown by name.
 */
describe('console: a real JMA telegram’s draft issued and lifted in Chromium', () => {
  let c: ConsoleApi;
  let sut: ApiHarness;
  let ingest: INestApplication;
  let browser: Browser;
  let yasugi: Tenant;
  let api: string;
  let prefix: string;
  let level4: Order;

  const bearer = (role: Role) => c.bearer(role);
  const signIn = (role: Role, path: string) => c.signIn(role, path);
  const signOut = () => c.signOut();

  async function order(id: string): Promise<Order> {
    const res = await sut.http.get(`${api}/evacuation-orders/${id}`).set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Order;
  }

  async function drafts(): Promise<Order[]> {
    const res = await sut.http
      .get(`${api}/evacuation-orders?status=draft`)
      .set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Order[];
  }

  /** The approver opens the alert a step left waiting, approves it and sends it, by clicking. */
  async function approveAndSend(alertId: string) {
    const { page } = browser;
    await signIn(Role.Approver, `/alerts/${alertId}`);
    const summary = page.getByRole('region', { name: '概要' });
    await summary.getByTestId('alert-status').filter({ hasText: '承認待ち' }).waitFor();
    // written by the operator, shown by name
    await summary.getByText(NAME.operator).waitFor();
    await page.getByRole('button', { name: '承認', exact: true }).click();
    await summary.getByTestId('alert-status').filter({ hasText: '承認済み' }).waitFor();
    await page.getByRole('button', { name: '配信', exact: true }).click();
    await summary.getByTestId('alert-status').filter({ hasText: '配信中' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signOut();
  }

  beforeAll(async () => {
    prefix = testQueuePrefix();
    c = await startConsoleApi({ QUEUE_PREFIX: prefix });
    ({ sut, browser, tenant: yasugi, api } = c);

    // the town answers for the telegram's 舞鶴市 and 京丹後市 codes; 浜 and 大波 are 舞鶴市's, 加佐 京丹後市's
    const admin = await bearer(Role.Admin);
    const patched = await sut.http
      .patch(api)
      .set(...admin)
      .send({ jmaCityCodes: ['3220600', CITY.maizuru, CITY.kyotango] });
    expect(patched.status).toBe(200);
    await seedDistricts(
      sut,
      yasugi,
      [
        ['A1', '浜', CITY.maizuru],
        ['A2', '大波', CITY.maizuru],
        ['B1', '加佐', CITY.kyotango],
      ],
      [
        ['H1', 'A1', 2],
        ['H2', 'A2', 1],
        ['H3', 'B1', 1],
      ],
    );
    for (const [role, displayName] of [
      [Role.Operator, NAME.operator],
      [Role.Approver, NAME.approver],
    ] as const) {
      const named = await sut.http
        .patch(`${api}/operators/${yasugi.operators[role].id}`)
        .set(...admin)
        .send({ displayName });
      expect(named.status).toBe(200);
    }

    ingest = await startIngest(sut.db.url, prefix);
  });

  afterAll(async () => {
    await ingest?.close();
    await c?.close();
    if (prefix) await dropQueueKeys(prefix);
  });

  it('the telegram goes through the real ingest; its レベル４ draft is on the Now panel as the feed’s', async () => {
    const { page } = browser;
    expect((await relayTelegram(ingest, TELEGRAM)).status).toBe(202);
    await eventually(async () => (await drafts()).length === 2);
    const made = await drafts();
    expect(
      made.map((o) => [o.level, o.source, o.createdByName, o.districts.map((d) => d.code)]).sort(),
    ).toEqual([
      [3, 'feed', null, ['B1']],
      [4, 'feed', null, ['A1', 'A2']],
    ]);
    level4 = made.find((o) => o.level === 4)!;
    expect(level4.sourceDocumentId).not.toBeNull();

    await signIn(Role.Operator, '/');
    const panel = page.getByRole('region', { name: '判断待ちの避難情報（下書き）' });
    const row = panel.getByRole('row', { name: new RegExp(DRAFT.level4) });
    await row.waitFor();
    expect(await row.textContent()).toContain('気象庁 (自動)');
    expect(await row.textContent()).toContain('浜、大波');
    await panel.getByRole('row', { name: new RegExp(DRAFT.level3) }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'now-telegram-drafts-ja');

    // the orders screen lists it too, with the telegram it came from
    await page.getByRole('link', { name: '避難情報', exact: true }).click();
    const listed = page
      .getByRole('region', { name: '下書き（未発令）' })
      .getByRole('row', { name: new RegExp(DRAFT.level4) });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('気象庁 (自動)');
    expect(await listed.textContent()).toContain(`元の電文: ${level4.sourceDocumentId}`);
  });

  it('an operator issues it by clicking; the approver approves its alert and sends it', async () => {
    const { page } = browser;
    await page
      .getByRole('region', { name: '下書き（未発令）' })
      .getByRole('link', { name: DRAFT.level4 })
      .click();
    await page.getByRole('heading', { level: 1, name: DRAFT.level4 }).waitFor();
    const summary = page.getByRole('region', { name: '概要' });
    expect(await summary.getByTestId('order-created-by').textContent()).toContain('気象庁 (自動)');

    await page
      .getByRole('region', { name: '操作' })
      .getByRole('button', { name: '発令', exact: true })
      .click();
    const done = page.getByRole('status').filter({ hasText: '現在の状態: 発令中' });
    await done.waitFor();
    // an operator's レベル４: the alert waits for a second person
    await done.getByText('承認待ち').waitFor();
    await summary.getByTestId('order-issued').filter({ hasText: NAME.operator }).waitFor();
    const history = page.getByRole('region', { name: '履歴' });
    const issuedRow = history.getByRole('row', { name: /発令/ });
    await issuedRow.getByRole('cell', { name: NAME.operator }).waitFor();
    // the step's hand-off checklist shows at once, both items still to do
    await page
      .getByRole('region', { name: 'Lアラート・緊急速報メールの引継ぎ' })
      .getByRole('article', { name: /発令/ })
      .getByRole('button', { name: 'Lアラート入力済みにする' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'order-telegram-issued-ja');

    const issued = await order(level4.id);
    expect(issued).toMatchObject({ status: 'issued', version: 2 });
    expect(issued.history.map((h) => [h.action, h.actorId, h.actorName, h.alert.status])).toEqual([
      ['issue', yasugi.operators[Role.Operator].id, NAME.operator, 'pending_approval'],
    ]);
    await signOut();

    await approveAndSend(issued.history[0].alert.id);
    const alert = await sut.http
      .get(`${api}/alerts/${issued.history[0].alert.id}`)
      .set(...(await bearer(Role.Viewer)));
    expect(alert.body).toMatchObject({
      status: 'dispatching',
      templateKey: 'evacuation.level4.issue',
      createdByName: NAME.operator,
      approvedBy: yasugi.operators[Role.Approver].id,
      approvedByName: NAME.approver,
    });
    expect(alert.body.texts.ja.title).toBe('【警戒レベル４】避難指示（高潮）');
  });

  it('the operator lifts it (解除) after confirming; the approver approves the lift; the api and database agree', async () => {
    const { page } = browser;
    await signIn(Role.Operator, `/orders/${level4.id}`);
    await page.getByRole('heading', { level: 1, name: DRAFT.level4 }).waitFor();
    await page.getByRole('button', { name: '解除（危険が去った）' }).click();
    const dialog = page.getByRole('dialog', { name: '避難情報を解除しますか？' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '解除する' }).click();
    await page.getByRole('status').filter({ hasText: '現在の状態: 解除' }).waitFor();
    const summary = page.getByRole('region', { name: '概要' });
    await summary.getByTestId('order-lifted').filter({ hasText: NAME.operator }).waitFor();
    expect(await page.getByRole('region', { name: '操作' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'order-telegram-lifted-ja');

    const lifted = await order(level4.id);
    expect(lifted).toMatchObject({ status: 'lifted', version: 3 });
    const lift = lifted.history[1];
    expect([lift.action, lift.actorName, lift.alert.status]).toEqual([
      'lift',
      NAME.operator,
      'pending_approval',
    ]);
    await signOut();
    await approveAndSend(lift.alert.id);

    // as stored: the feed's draft, issued and lifted by the operator, both alerts approved by the approver
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    const [row] = await q<{ status: string; source: string; created_by: string | null; lifted: boolean }[]>(
      `SELECT status, source, created_by, lifted_at IS NOT NULL AS lifted FROM evacuation_order WHERE id = $1`,
      [level4.id],
    );
    expect(row).toEqual({ status: 'lifted', source: 'feed', created_by: null, lifted: true });
    const steps = await q<{ action: string; actor_id: string; template_key: string; approved_by: string }[]>(
      `SELECT h.action, h.actor_id, a.template_key, a.approved_by
         FROM evacuation_order_history h JOIN alert a ON a.id = h.alert_id
        WHERE h.order_id = $1 ORDER BY h.version`,
      [level4.id],
    );
    expect(steps).toEqual([
      {
        action: 'issue',
        actor_id: yasugi.operators[Role.Operator].id,
        template_key: 'evacuation.level4.issue',
        approved_by: yasugi.operators[Role.Approver].id,
      },
      {
        action: 'lift',
        actor_id: yasugi.operators[Role.Operator].id,
        template_key: expect.stringContaining('lift'),
        approved_by: yasugi.operators[Role.Approver].id,
      },
    ]);
    // the Level 3 draft of 京丹後市 is still waiting for a decision
    expect((await drafts()).map((o) => o.level)).toEqual([3]);
  });
});
