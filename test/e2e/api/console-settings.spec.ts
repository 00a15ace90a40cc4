import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

const TILES = 'https://{s}.tiles.example.jp/std/{z}/{x}/{y}.png';

/** Issue 20: the console's map tile source comes from the api's configuration, and its CSP follows it. */
describe('console settings: the map tile source and the console CSP', () => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'bousai-console-'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
  let plain: ApiHarness;
  let tiled: ApiHarness;

  beforeAll(async () => {
    plain = await startApi({ CONSOLE_DIR: consoleDir });
    tiled = await startApi({
      CONSOLE_DIR: consoleDir,
      CONSOLE_MAP_TILES_URL: TILES,
      CONSOLE_MAP_TILES_ATTRIBUTION: '地理院タイル',
    });
  });
  afterAll(async () => {
    await plain?.close();
    await tiled?.close();
  });

  const get = async (sut: ApiHarness, role = Role.Viewer) =>
    sut.http
      .get('/v1/console/settings')
      .set('Authorization', `Bearer ${await sut.token(sut.tenants[0], role)}`);

  it('without tiles: no map tiles for any operator, and images from this origin only', async () => {
    const res = await get(plain);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mapTiles: null });
    const csp = String((await plain.http.get('/console/compose')).headers['content-security-policy']);
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).not.toContain('example.jp');
  });

  it('with tiles: the template and attribution for a signed-in operator, and the tile origin for images only', async () => {
    const res = await get(tiled, Role.Operator);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mapTiles: { urlTemplate: TILES, attribution: '地理院タイル' } });
    const csp = String((await tiled.http.get('/console/compose')).headers['content-security-policy']);
    expect(csp).toContain("img-src 'self' data: https://*.tiles.example.jp;");
    expect(csp.match(/example\.jp/g)).toHaveLength(1);
    expect(csp).toContain("style-src 'self';");
    // the settings are for signed-in operators only
    const anonymous = await tiled.http.get('/v1/console/settings');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBeDefined();
  });
});
