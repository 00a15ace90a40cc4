import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import { startApi, PASSWORD, type ApiHarness } from '../support/api-harness';

const CSRF: [string, string] = ['X-Bousai-CSRF', '1'];

/** The console's browser sessions (issue 20 item 2) and its static files, through the real api. */
describe('browser sessions and the console at /console/', () => {
  let sut: ApiHarness;
  let email: string;
  const consoleDir = mkdtempSync(join(tmpdir(), 'bousai-console-'));

  beforeAll(async () => {
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    sut = await startApi({ CONSOLE_DIR: consoleDir });
    email = sut.tenants[0].operators[Role.Operator].email;
  });
  afterAll(() => sut.close());

  const cookieOf = (res: { headers: Record<string, unknown> }): string => {
    const set = res.headers['set-cookie'] as string[] | undefined;
    expect(set).toHaveLength(1);
    return set![0];
  };
  const valueOf = (setCookie: string) => setCookie.split(';')[0];

  async function browserLogin(): Promise<{ cookie: string; accessToken: string }> {
    const res = await sut.http
      .post('/v1/auth/browser/login')
      .set(...CSRF)
      .send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    return { cookie: valueOf(cookieOf(res)), accessToken: res.body.accessToken };
  }

  it('logs in with the refresh token in an httpOnly, Secure, SameSite=Strict cookie, never in the body', async () => {
    const res = await sut.http
      .post('/v1/auth/browser/login')
      .set(...CSRF)
      .send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tokenType: 'Bearer',
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      operator: expect.objectContaining({ role: 'operator' }),
    });
    const attributes = cookieOf(res)
      .split(';')
      .map((a) => a.trim());
    expect(attributes[0]).toMatch(/^bousai_rt=rt_[A-Za-z0-9_-]+$/);
    expect(attributes).toEqual(
      expect.arrayContaining(['Path=/v1/auth/browser', 'HttpOnly', 'Secure', 'SameSite=Strict']),
    );
    const me = await sut.http
      .get(`/v1/municipalities/${sut.tenants[0].municipalityId}/alerts`)
      .set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(200);
  });

  it('refuses a login without the CSRF header or from another origin', async () => {
    const bare = await sut.http.post('/v1/auth/browser/login').send({ email, password: PASSWORD });
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('FORBIDDEN');
    expect(bare.headers['set-cookie']).toBeUndefined();
    const foreign = await sut.http
      .post('/v1/auth/browser/login')
      .set(...CSRF)
      .set('Origin', 'https://evil.example')
      .send({ email, password: PASSWORD });
    expect(foreign.status).toBe(403);
  });

  it('refreshes from the cookie only with the CSRF header, from the same origin, and rotates it', async () => {
    const { cookie } = await browserLogin();
    const forged = [
      sut.http.post('/v1/auth/browser/refresh').set('Cookie', cookie),
      sut.http.post('/v1/auth/browser/refresh').set('Cookie', cookie).set('X-Bousai-CSRF', 'yes'),
      sut.http
        .post('/v1/auth/browser/refresh')
        .set('Cookie', cookie)
        .set(...CSRF)
        .set('Origin', 'http://evil.example'),
      sut.http
        .post('/v1/auth/browser/refresh')
        .set('Cookie', cookie)
        .set(...CSRF)
        .set('Sec-Fetch-Site', 'cross-site'),
      sut.http
        .post('/v1/auth/browser/refresh')
        .set('Cookie', cookie)
        .set(...CSRF)
        .set('Origin', 'null'),
    ];
    for (const res of await Promise.all(forged)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    // the refused calls consumed nothing: the cookie still refreshes, from the api's own origin
    const ok = await sut.http
      .post('/v1/auth/browser/refresh')
      .set('Cookie', cookie)
      .set(...CSRF)
      .set('Host', 'bousai.test:8443')
      .set('Origin', 'https://bousai.test:8443')
      .set('Sec-Fetch-Site', 'same-origin');
    expect(ok.status).toBe(200);
    expect(ok.body.refreshToken).toBeUndefined();
    const next = valueOf(cookieOf(ok));
    expect(next).not.toBe(cookie);
    // the rotated-out cookie is a replay: refused, and the session ends (its successor too)
    const replay = await sut.http
      .post('/v1/auth/browser/refresh')
      .set('Cookie', cookie)
      .set(...CSRF);
    expect(replay.status).toBe(401);
    expect(cookieOf(replay)).toMatch(/^bousai_rt=; .*Max-Age=0/);
    expect(
      (
        await sut.http
          .post('/v1/auth/browser/refresh')
          .set('Cookie', next)
          .set(...CSRF)
      ).status,
    ).toBe(401);
  });

  it('answers a refresh without a cookie 401, not 500', async () => {
    const res = await sut.http.post('/v1/auth/browser/refresh').set(...CSRF);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('logs out this browser session and clears its cookie', async () => {
    const { cookie, accessToken } = await browserLogin();
    const bearer: [string, string] = ['Authorization', `Bearer ${accessToken}`];
    // the bearer token is its CSRF defence: a cross-site form cannot send one
    const out = await sut.http.post('/v1/auth/browser/logout').set(...bearer);
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/^bousai_rt=; Path=\/v1\/auth\/browser; Max-Age=0/);
    expect(
      (
        await sut.http
          .post('/v1/auth/browser/refresh')
          .set('Cookie', cookie)
          .set(...CSRF)
      ).status,
    ).toBe(401);
  });

  it('logs out everywhere: every browser and API session of the operator ends, not another operator’s', async () => {
    const browser = await browserLogin();
    const api = await sut.login(email);
    const other = await sut.login(sut.tenants[0].operators[Role.Viewer].email);
    const res = await sut.http
      .post('/v1/auth/logout-everywhere')
      .set('Authorization', `Bearer ${browser.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.body.revokedSessions).toBeGreaterThanOrEqual(2);
    expect(
      (
        await sut.http
          .post('/v1/auth/browser/refresh')
          .set('Cookie', browser.cookie)
          .set(...CSRF)
      ).status,
    ).toBe(401);
    expect((await sut.http.post('/v1/auth/refresh').send({ refreshToken: api.refreshToken })).status).toBe(
      401,
    );
    const stale = await sut.http
      .get(`/v1/municipalities/${sut.tenants[0].municipalityId}/alerts`)
      .set('Authorization', `Bearer ${api.accessToken}`);
    expect(stale.status).toBe(401);
    expect((await sut.http.post('/v1/auth/refresh').send({ refreshToken: other.refreshToken })).status).toBe(
      200,
    );
    const audit = await sut.db.dataSource.query(
      `SELECT actor_id FROM audit_log WHERE action = 'operator.logout_everywhere'`,
    );
    expect(audit).toEqual([{ actor_id: sut.tenants[0].operators[Role.Operator].id }]);
  });

  it('serves the console with a strict CSP, a SPA fallback and long caching for hashed assets only', async () => {
    const page = await sut.http.get('/console/now');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>console</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const asset = await sut.http.get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await sut.http.get('/console')).headers.location).toBe('/console/');
    expect((await sut.http.get('/console/assets/missing.js')).status).toBe(404);
    expect((await sut.http.get('/console/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await sut.http.get('/console/%2e%2e/%2e%2e/etc/passwd')).text).not.toContain('root:');
  });
});
