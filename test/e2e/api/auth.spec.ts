import { createHmac } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { Role } from '@bousai/domain';
import { JWT_SECRET, startApi, type ApiHarness } from '../support/api-harness';

function b64(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

describe('operator authentication', () => {
  let sut: ApiHarness;
  let yasugi: ApiHarness['tenants'][0];
  let matsue: ApiHarness['tenants'][1];

  beforeAll(async () => {
    sut = await startApi({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_SECONDS: '60' });
    [yasugi, matsue] = sut.tenants;
  });
  afterAll(() => sut.close());

  const me = (token: string) =>
    sut.http.get(`/v1/municipalities/${yasugi.municipalityId}`).set('Authorization', `Bearer ${token}`);

  it('logs in with the right password and returns a short-lived JWT and a refresh token', async () => {
    const res = await sut.http
      .post('/v1/auth/login')
      .send({ email: yasugi.operators.admin.email.toUpperCase(), password: 'correct horse battery staple' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, operator: { role: 'admin' } });
    expect(res.body.refreshToken).toMatch(/^rt_/);
    expect((await me(res.body.accessToken)).status).toBe(200);
  });

  it('rejects a wrong password with INVALID_CREDENTIALS and audits the failure', async () => {
    const res = await sut.http
      .post('/v1/auth/login')
      .send({ email: yasugi.operators.viewer.email, password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    const rows = await sut.db.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'operator.login_failed' AND $1 = ANY(target_ids)`,
      [yasugi.operators.viewer.id],
    );
    expect(rows).toEqual([{ details: { reason: 'bad_password' } }]);
    expect(JSON.stringify(rows)).not.toContain('nope');
  });

  it('rate-limits failed logins per account, even for the right password afterwards', async () => {
    const email = yasugi.operators.operator.email;
    for (let i = 0; i < 3; i++) {
      expect((await sut.http.post('/v1/auth/login').send({ email, password: `wrong-${i}` })).status).toBe(
        401,
      );
    }
    const blocked = await sut.http
      .post('/v1/auth/login')
      .send({ email, password: 'correct horse battery staple' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rotates refresh tokens, and a replayed one revokes the session', async () => {
    const first = await sut.login(yasugi.operators.approver.email);
    const second = await sut.http.post('/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.body.accessToken)).status).toBe(200);

    const replay = await sut.http.post('/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('TOKEN_INVALID');
    // the whole session is gone: its newest tokens stop working too
    expect(
      (await sut.http.post('/v1/auth/refresh').send({ refreshToken: second.body.refreshToken })).status,
    ).toBe(401);
    expect((await me(second.body.accessToken)).status).toBe(401);
  });

  it('logout revokes the session: the access token and refresh token stop working', async () => {
    const session = await sut.login(yasugi.operators.viewer.email);
    const out = await sut.http.post('/v1/auth/logout').set('Authorization', `Bearer ${session.accessToken}`);
    expect(out.status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
    expect(
      (await sut.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken })).status,
    ).toBe(401);
    const [row] = await sut.db.dataSource.query(
      `SELECT actor_id FROM audit_log WHERE action = 'operator.logout' ORDER BY id DESC LIMIT 1`,
    );
    expect(row.actor_id).toBe(yasugi.operators.viewer.id);
  });

  it('rejects missing, expired, forged and unsigned tokens', async () => {
    const good = await sut.login(yasugi.operators.admin.email);
    const jwt = sut.app.get(JwtService);
    const claims = jwt.decode<Record<string, unknown>>(good.accessToken);
    const { iat: _iat, exp: _exp, aud: _aud, iss: _iss, ...rest } = claims;

    const missing = await sut.http.get(`/v1/municipalities/${yasugi.municipalityId}`);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHENTICATED');

    const expired = jwt.sign({ ...rest, exp: Math.floor(Date.now() / 1000) - 10 }, { secret: JWT_SECRET });
    const expiredRes = await me(expired);
    expect(expiredRes.status).toBe(401);
    expect(expiredRes.body.error.code).toBe('TOKEN_EXPIRED');

    const forged = jwt.sign({ ...rest, role: 'admin' }, { secret: 'another-secret-another-secret-123456' });
    expect((await me(forged)).body.error.code).toBe('TOKEN_INVALID');

    const header = b64({ alg: 'none', typ: 'JWT' });
    const unsigned = `${header}.${b64({ ...claims })}.`;
    expect((await me(unsigned)).status).toBe(401);

    // a payload altered after signing
    const [h, , s] = good.accessToken.split('.');
    const altered = `${h}.${b64({ ...claims, mid: matsue.municipalityId })}.${s}`;
    expect((await me(altered)).status).toBe(401);

    // HS256 with the right secret but the wrong audience
    const sig = (data: string) => createHmac('sha256', JWT_SECRET).update(data).digest('base64url');
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...rest, iss: 'bousai', aud: 'someone-else', exp: claims.exp })}`;
    expect((await me(`${body}.${sig(body)}`)).status).toBe(401);
  });

  it("rejects a valid token on another municipality's routes", async () => {
    const token = await sut.token(matsue, Role.Admin);
    const res = await sut.http
      .get(`/v1/municipalities/${yasugi.municipalityId}/households`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('validates the login body with a 400 and a list of problems', async () => {
    const res = await sut.http.post('/v1/auth/login').send({ email: 'not-an-email', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'extra',
      'password',
    ]);
  });
});
