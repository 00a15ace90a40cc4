import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '@bousai/domain';
import { PASSWORD, startApi, type ApiHarness } from '../e2e/support/api-harness';
import {
  type Browser,
  CONSOLE_DIR,
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  seriousViolations,
} from './support/browser';

/** A 1×1 transparent PNG: every tile the fake tile server answers. */
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/**
 * Issue 20: the compose screen's district map with a tile source configured — here a tile server on another
 * loopback port, so another origin — loads its tiles under the console's CSP (img-src gains that origin, nothing
 * else) and credits them as configured.
 */
describe('console: the district map with configured tiles', () => {
  let tiles: Server;
  const tileRequests: string[] = [];
  let sut: ApiHarness;
  let browser: Browser;
  let base: string;
  let tileOrigin: string;
  let area: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    tiles = createServer((req, res) => {
      tileRequests.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': TILE.length }).end(TILE);
    });
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    tileOrigin = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
    sut = await startApi({
      CONSOLE_DIR,
      CONSOLE_MAP_TILES_URL: `${tileOrigin}/tiles/{z}/{x}/{y}.png`,
      CONSOLE_MAP_TILES_ATTRIBUTION: '<b>試験</b>タイル',
    });
    await sut.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [133.18, 35.42],
          [133.22, 35.42],
          [133.22, 35.45],
          [133.18, 35.45],
          [133.18, 35.42],
        ],
      ],
    };
    [{ id: area }] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO area (municipality_id, code, name, polygon) VALUES ($1, '01', '荒島', $2) RETURNING id`,
      [sut.tenants[0].municipalityId, JSON.stringify(polygon)],
    );
    // 避難指示 (警戒レベル4) in force in 荒島: the map colours the district by it
    const orders = `/v1/municipalities/${sut.tenants[0].municipalityId}/evacuation-orders`;
    const as = async (role: Role) => `Bearer ${await sut.token(sut.tenants[0], role)}`;
    const created = await sut.http
      .post(orders)
      .set('Authorization', await as(Role.Operator))
      .send({ hazard: 'flood', level: 4, districtCodes: ['01'] });
    expect(created.status).toBe(201);
    const issued = await sut.http
      .post(`${orders}/${created.body.id as string}/issue`)
      .set('Authorization', await as(Role.Admin))
      .send({ expectedVersion: 1 });
    expect(issued.status).toBe(200);
    browser = await launchChromium();
    browser.page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    // this api and the tile server only
    await browser.context.route(
      (url) => url.origin !== base && url.origin !== tileOrigin,
      (route) => route.abort('blockedbyclient'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
    await new Promise((resolve) => tiles?.close(resolve));
  });

  it('draws the polygons over the tiles, credits them as plain text, and breaks no CSP rule', async () => {
    const { page } = browser;
    await page.goto(`${base}/console/`);
    await page.getByLabel('メールアドレス').fill(sut.tenants[0].operators[Role.Operator].email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '現在の状況' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: '警報の作成' }).click();
    await page.getByRole('radio', { name: '地区を選ぶ' }).check();

    const map = page.getByRole('region', { name: '地区の地図' });
    await map.locator(`path[data-area-id="${area}"]`).click();
    expect(await page.getByRole('checkbox', { name: /荒島/ }).isChecked()).toBe(true);
    // the tiles came from the configured server, and showed
    await map.locator('img.leaflet-tile-loaded').first().waitFor();
    expect(tileRequests.length).toBeGreaterThan(0);
    expect(tileRequests.every((u) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(u))).toBe(true);
    // the attribution is text, not markup
    await map.getByText('<b>試験</b>タイル').waitFor();
    expect(await map.locator('.leaflet-control-attribution b').count()).toBe(0);

    // the legend says in words what each colour means; 荒島's fill is the colour it gives 警戒レベル4
    const legend = map.getByRole('list', { name: '地図の凡例' });
    expect((await legend.getByRole('listitem').allInnerTexts()).map((s) => s.trim())).toEqual([
      '警戒レベル3 高齢者等避難',
      '警戒レベル4 避難指示',
      '警戒レベル5 緊急安全確保',
      '避難情報なし',
      '選択中の地区（青い枠）',
    ]);
    const swatch = (text: string) =>
      legend.getByRole('listitem').filter({ hasText: text }).locator('rect').getAttribute('fill');
    const levelFour = await swatch('警戒レベル4');
    expect(levelFour).toBe('#8f1b9a');
    expect(
      new Set([levelFour, await swatch('レベル3'), await swatch('レベル5'), await swatch('なし')]).size,
    ).toBe(4);
    await map.locator(`path[data-area-id="${area}"][fill="${levelFour}"]`).waitFor();

    expect(cspViolations).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'compose-map-tiles-ja');
  });
});
