import { Role } from '@bousai/domain';
import { type Stack, startStack } from '../e2e/fanout/support/fanout-stack';
import { ensurePwaBuilt, PWA_DIR, screenshot, seriousViolations } from './support/browser';
import { enrolmentCode, openShelter } from './support/pwa-stack';
import { type CameraBrowser, cameraState, launchQrCameraBrowser } from './support/qr-camera';

// the api and Chromium share this process; nothing here asserts on time
jest.setTimeout(120_000);

// the key of the shelters' QR tokens
const SECRET = 'pwa-scan-test-secret-0123456789abcdef0123';

/**
 * The app's own QR scanner in a real Chromium whose camera films a QR code (a fake device playing a Y4M video made
 * here): a shelter poster's code, as the api issues it for a real shelter, checks the resident in; a code of another
 * site is refused and never opened.
 */
describe("residents' app (PWA): the QR scanner with a camera", () => {
  let sut: Stack;
  let base: string;
  let m: string;
  let residentId: string;
  let code: string;
  let shelterId: string;
  let browser: CameraBrowser | undefined;

  const isDecoder = (url: string) => /\/app\/assets\/jsQR-[\w-]+\.js$/.test(url);
  const q = <T>(sql: string, params: unknown[] = []) => sut.api.db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    ensurePwaBuilt();
    sut = await startStack({ inProcessFanout: false, api: { PWA_DIR, ONE_TAP_SECRET: SECRET } });
    base = sut.url;
    m = sut.api.tenants[0].municipalityId;
    const admin = await sut.auth(Role.Admin);
    const household = await sut.api.http
      .post(`/v1/municipalities/${m}/households`)
      .set(...admin)
      .send({ externalId: 'QR-H1', address: '島根県安来市安来町1' });
    const resident = await sut.api.http
      .post(`/v1/municipalities/${m}/residents`)
      .set(...admin)
      .send({ externalId: 'QR-R1', name: '読取 花子', householdId: household.body.id });
    residentId = resident.body.id;
    code = await enrolmentCode(sut, m, residentId);
    shelterId = await openShelter(sut, m, 'QR-S1');
  });

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });
  afterAll(() => sut?.close());

  it("scanning a shelter poster's QR code opens its check-in in the app, and checking in is recorded", async () => {
    // the poster's link as the console prints it, asked of the api on the origin the app is served from
    const [name, value] = await sut.auth(Role.Operator);
    const res = await fetch(`${base}/v1/municipalities/${m}/shelters/${shelterId}/qr`, {
      headers: { [name]: value },
    });
    expect(res.status).toBe(200);
    const poster = (await res.json()) as { token: string; url: string };
    expect(poster.url).toBe(`${base}/app/#/shelter-check-in/${poster.token}`);

    browser = await launchQrCameraBrowser(base, poster.url);
    const { page } = browser;
    const app = await page.goto(`${base}/app/`);
    expect(app?.headers()['permissions-policy']).toBe('camera=(self), geolocation=(self), microphone=()');
    // the scanner needs no more of the CSP than the app had: no WebAssembly, no blob: or data: scripts
    expect(app?.headers()['content-security-policy']).toContain("script-src 'self';");
    expect(app?.headers()['content-security-policy']).not.toMatch(/wasm|blob:|unsafe/);

    // not enrolled yet: the scanner reads the poster but says why it cannot check in
    await page.getByRole('link', { name: 'QRコードを読み取る' }).waitFor();
    expect(browser.requested.filter(isDecoder)).toEqual([]);
    await page.getByRole('link', { name: 'QRコードを読み取る' }).click();
    await page.getByRole('heading', { name: 'QRコードを読み取る' }).waitFor();
    await page.getByText('避難所へのチェックインには、先に登録が必要です。').waitFor();
    // this Chromium has no BarcodeDetector: jsQR decoded it, loaded only now
    expect(browser.requested.some(isDecoder)).toBe(true);
    expect(new URL(page.url()).hash).toBe('#/scan');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pwa-scan');

    // the way without a camera: the letter's code typed in the scanner's field opens enrolment with it
    await page.getByLabel('コードまたはリンクを入力').fill(code);
    await page.getByRole('button', { name: '開く' }).click();
    await page.getByRole('heading', { name: '登録', exact: true }).waitFor();
    expect(await page.getByLabel('登録コード').inputValue()).toBe(code);
    // leaving the scanner stopped its camera
    expect((await cameraState(browser)).tracks).toEqual([['ended']]);
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByRole('heading', { name: 'お知らせ' }).waitFor();

    // enrolled: the home screen's scanner reads the poster and opens that shelter's check-in
    await page.getByRole('link', { name: 'QRコードを読み取る' }).click();
    await page.getByRole('heading', { name: '避難所へのチェックイン' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/shelter-check-in/${poster.token}`);
    const camera = await cameraState(browser);
    expect(camera.asked[1]).toEqual({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    expect(camera.tracks[1]).toEqual(['ended']);

    await page.getByRole('button', { name: 'チェックインする' }).click();
    await page.getByText('安来市民会館 にチェックインしました').waitFor();
    const checkIns = await q<{ checked_in_by: string }[]>(
      `SELECT checked_in_by FROM shelter_checkin WHERE shelter_id = $1 AND resident_id = $2`,
      [shelterId, residentId],
    );
    expect(checkIns).toEqual([{ checked_in_by: 'self' }]);
    const staffView = await sut.api.http
      .get(`/v1/municipalities/${m}/shelters/${shelterId}/check-ins`)
      .set(...(await sut.auth(Role.Operator)));
    expect(staffView.body).toEqual([expect.objectContaining({ residentId, residentName: '読取 花子' })]);
    expect(browser.requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
  });

  it('uses the browser’s BarcodeDetector where it reads QR codes: jsQR is never loaded', async () => {
    const poster = `${base}/app/?m=322067#/visitor`;
    browser = await launchQrCameraBrowser(base, poster);
    // a stand-in for the native API (Chromium on Linux has none), reading what the fake camera films
    await browser.context.addInitScript(`window.BarcodeDetector = class {
      static getSupportedFormats() { return Promise.resolve(['qr_code', 'ean_13']); }
      constructor(options) { window.__detectorFormats = options.formats; }
      detect(video) { return Promise.resolve(video.videoWidth > 0 ? [{ rawValue: ${JSON.stringify(poster)} }] : []); }
    };`);
    const { page } = browser;
    await page.goto(`${base}/app/#/scan`);
    await page.getByRole('heading', { name: '旅行者・家族の方' }).waitFor();
    expect(await page.getByLabel('市区町村コード（6桁）').inputValue()).toBe('322067');
    expect(await page.evaluate('window.__detectorFormats')).toEqual(['qr_code']);
    expect(browser.requested.filter(isDecoder)).toEqual([]);
    expect((await cameraState(browser)).tracks).toEqual([['ended']]);
  });

  it('a QR code of another site is refused with a message: no navigation, never fetched', async () => {
    browser = await launchQrCameraBrowser(base, 'https://example.invalid/x');
    const { page } = browser;
    await page.goto(`${base}/app/#/scan`);
    await page.getByText('このQRコードは防災アプリのものではないため、開きません。').waitFor();
    expect(page.url()).toBe(`${base}/app/#/scan`);
    await page.getByRole('heading', { name: 'QRコードを読み取る' }).waitFor();
    // still looking for a code of ours, with the camera on
    expect((await cameraState(browser)).tracks).toEqual([['live']]);
    // typed, the same link is refused the same way
    await page.getByLabel('コードまたはリンクを入力').fill('javascript:alert(1)');
    await page.getByRole('button', { name: '開く' }).click();
    expect(page.url()).toBe(`${base}/app/#/scan`);
    expect(await seriousViolations(page)).toEqual([]);
    expect(browser.requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(browser.requested.some((url) => url.includes('example.invalid'))).toBe(false);

    // leaving the screen stops the camera
    await page.getByRole('link', { name: '防災アプリ' }).click();
    await page.getByRole('heading', { name: '登録', exact: true }).waitFor();
    expect((await cameraState(browser)).tracks).toEqual([['ended']]);
  });
});
