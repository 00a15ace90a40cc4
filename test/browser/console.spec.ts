import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { FeedSource, Role } from '@bousai/domain';
import { FeedDocumentRepository } from '@bousai/persistence';
import { PASSWORD, startApi, type ApiHarness } from '../e2e/support/api-harness';
import {
  type Browser,
  CONSOLE_DIR,
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  seriousViolations,
} from './support/browser';

/**
 * Issue 20 items 1–2 in a real Chromium against the real api, Postgres and Redis: log in, the Now screen on live
 * data, the session surviving a reload with its refresh token out of script's reach, keyboard use, accessibility,
 * and logging out everywhere.
 */
describe('operator console in Chromium', () => {
  let sut: ApiHarness;
  let browser: Browser;
  let base: string;
  let flightId: string;
  const cspViolations: string[] = [];

  async function seedFlight(municipalityId: string): Promise<string> {
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    const [{ id: hh }] = await q(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, 'h-1', '安来市荒島町') RETURNING id`,
      [municipalityId],
    );
    const [{ id }] = await q(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, dispatched_at)
       VALUES ($1, 'operator', '{"ja": {"title": "土砂災害警戒情報", "body": "避難してください"},
               "en": {"title": "Landslide warning", "body": "Evacuate"}}', 'severe', '{"all": true}',
               '{fcm,receiver}', 'dispatching', now()) RETURNING id`,
      [municipalityId],
    );
    await q(
      `WITH e AS (
         INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
         SELECT $1, $2, CASE WHEN i % 4 = 0 THEN 'receiver' ELSE 'fcm' END, gen_random_uuid()::text,
                CASE WHEN i % 4 = 0 THEN 'sha256:x' END
           FROM generate_series(1, 40) i RETURNING id, channel)
       INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) SELECT $3, id, channel, 0 FROM e`,
      [municipalityId, hh, id],
    );
    return id;
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    sut = await startApi({ CONSOLE_DIR, LIVE_PUSH_INTERVAL_MS: '500' });
    await sut.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    const [yasugi] = sut.tenants;

    // an alert written and submitted through the api: it waits for an approver
    const op = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Operator)}`] as const;
    const alerts = `/v1/municipalities/${yasugi.municipalityId}/alerts`;
    const draft = await sut.http
      .post(alerts)
      .set(...op)
      .send({
        texts: { ja: { title: '避難指示（荒島地区）', body: '荒島地区に避難指示を発令しました。' } },
        severity: 'extreme',
        targeting: { all: true },
        channels: ['receiver', 'fcm'],
      });
    expect(draft.status).toBe(201);
    expect((await sut.http.post(`${alerts}/${draft.body.id}/submit`).set(...op)).status).toBe(200);
    flightId = await seedFlight(yasugi.municipalityId);

    const documents = sut.app.get(FeedDocumentRepository);
    const parsed = await documents.storeRaw({
      source: FeedSource.JmaPull,
      feedName: 'extra',
      body: Buffer.from('<Report>ok</Report>'),
    });
    await documents.recordParsed(parsed.documentId, 'VPWW54', { ok: true });
    const broken = await documents.storeRaw({ source: FeedSource.JmaPull, body: Buffer.from('<Report>') });
    await documents.recordFailed(broken.documentId, 'XML_MALFORMED', 'unexpected end of document');

    browser = await launchChromium();
    browser.page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    // nothing but this api: a request anywhere else fails the test
    await browser.context.route(
      (url) => url.origin !== base,
      (route) => route.abort('blockedbyclient'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it('opens on the Japanese login form, switches to English and back, with no serious accessibility issue', async () => {
    const { page } = browser;
    const res = await page.goto(`${base}/console/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login-ja');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
  });

  it('refuses a wrong password with a message, then logs in by keyboard alone', async () => {
    const { page } = browser;
    const email = sut.tenants[0].operators[Role.Operator].email;
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill('wrong password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'メールアドレスまたはパスワードが違います' }).waitFor();

    await page.getByLabel('メールアドレス').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/now');
  });

  it('shows the submitted alert waiting for approval, the one going out with live per-channel counts, and the feeds', async () => {
    const { page } = browser;
    const pending = page.getByRole('region', { name: '承認待ちの警報' });
    await pending.getByRole('heading', { name: '避難指示（荒島地区）' }).waitFor();
    expect(await pending.textContent()).toContain('承認待ち');

    const flight = page.getByRole('region', { name: '配信中の警報' });
    await flight.getByRole('heading', { name: '土砂災害警戒情報' }).waitFor();
    const fcm = flight.getByRole('row', { name: /^fcm/ });
    await fcm.waitFor();
    const counts = async () => (await fcm.getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(await counts()).toEqual(['30', '0', '0']);

    // deliveries change in the database; the socket pushes the new counts to the open page
    await sut.db.dataSource.query(
      `UPDATE delivery SET status = 'delivered' WHERE id IN
         (SELECT id FROM delivery WHERE alert_id = $1 AND channel = 'fcm' LIMIT 12)`,
      [flightId],
    );
    await fcm.locator('td', { hasText: /^\s*12$/ }).waitFor();
    expect(await counts()).toEqual(['30', '12', '0']);
    expect(await fcm.getByRole('progressbar').getAttribute('value')).toBe('12');
    await flight.getByText('リアルタイム更新中').waitFor();

    const documents = page.getByRole('region', { name: '最新の受信電文' });
    await documents.getByRole('cell', { name: 'VPWW54' }).waitFor();
    const failures = page.getByRole('region', { name: '解析に失敗した電文' });
    await failures.getByText('XML_MALFORMED').waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'now-ja');
  });

  it('keeps the refresh token out of script reach and the session across a reload', async () => {
    const { page, context } = browser;
    // the page's script sees no cookie at all
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await context.cookies(base);
    // scoped to the refresh path: the page itself never carries it
    expect(cookies).toEqual([]);
    const scoped = (await context.cookies(`${base}/v1/auth/browser/refresh`)).find(
      (c) => c.name === 'bousai_rt',
    );
    expect(scoped).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/v1/auth/browser',
    });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
    await page.getByRole('region', { name: '承認待ちの警報' }).getByText('避難指示（荒島地区）').waitFor();
  });

  it('is usable by keyboard: the first Tab reaches the skip link, which moves focus to the main content', async () => {
    const { page } = browser;
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('本文へ移動');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('main');
    expect(await page.getByRole('navigation', { name: 'メインメニュー' }).count()).toBe(1);
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
  });

  it('shows the Now screen in English, accessible as well', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Now' }).waitFor();
    await page.getByRole('region', { name: 'Alerts going out' }).getByText('Landslide warning').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'now-en');
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
  });

  it('logs out everywhere: the browser returns to the login form and no refresh token works any more', async () => {
    const { page, context } = browser;
    const email = sut.tenants[0].operators[Role.Operator].email;
    const apiSession = await sut.login(email);
    const cookie = (await context.cookies(`${base}/v1/auth/browser/refresh`)).find(
      (c) => c.name === 'bousai_rt',
    );
    expect(cookie).toBeDefined();

    await page.getByRole('button', { name: 'すべての端末からログアウト' }).click();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    await page.getByText(/すべての端末からログアウトしました/).waitFor();
    expect(await context.cookies(`${base}/v1/auth/browser/refresh`)).toEqual([]);

    const http = request(base);
    const replayed = await http
      .post('/v1/auth/browser/refresh')
      .set('X-Bousai-CSRF', '1')
      .set('Cookie', `bousai_rt=${cookie!.value}`);
    expect(replayed.status).toBe(401);
    expect((await http.post('/v1/auth/refresh').send({ refreshToken: apiSession.refreshToken })).status).toBe(
      401,
    );

    await page.reload();
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    expect(cspViolations).toEqual([]);
  });
});
