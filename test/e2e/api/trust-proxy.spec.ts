import { startApi, type ApiHarness } from '../support/api-harness';

/**
 * Failed logins are also counted per client address (LOGIN_MAX_FAILURES × 4). Behind a reverse proxy every request
 * comes from the proxy, so the address must come from `X-Forwarded-For`, but only through proxies the deployment
 * trusts (TRUST_PROXY): otherwise anyone could pick their own address and escape the limit.
 */
describe('client address behind a proxy (TRUST_PROXY)', () => {
  const apps: ApiHarness[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  /** A failed login for a fresh account (so only the per-address limit can trip), claiming `forwardedFor`. */
  const fail = (sut: ApiHarness, forwardedFor: string, n: number) =>
    sut.http
      .post('/v1/auth/login')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: `nobody-${n}-${forwardedFor}@example.jp`, password: 'wrong' });

  it('behind a trusted proxy, throttles the forwarded client, not the proxy', async () => {
    const sut = await startApi({
      LOGIN_MAX_FAILURES: '2',
      LOGIN_LOCK_SECONDS: '60',
      TRUST_PROXY: 'loopback',
    });
    apps.push(sut);
    for (let i = 0; i < 8; i++) expect((await fail(sut, '203.0.113.7', i)).status).toBe(401);
    const blocked = await fail(sut, '203.0.113.7', 8);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // another resident of the same proxy is not locked out
    expect((await fail(sut, '203.0.113.8', 0)).status).toBe(401);
  });

  it('without a trusted proxy, ignores X-Forwarded-For: a client cannot rename itself out of the limit', async () => {
    const sut = await startApi({ LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_SECONDS: '60' });
    apps.push(sut);
    for (let i = 0; i < 8; i++) expect((await fail(sut, `198.51.100.${i}`, i)).status).toBe(401);
    expect((await fail(sut, '198.51.100.200', 8)).status).toBe(429);
  });
});
