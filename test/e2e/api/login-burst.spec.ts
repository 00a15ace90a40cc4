import { PASSWORD, startApi, type ApiHarness } from '../support/api-harness';

/**
 * Issue 17: the throttle read its counters before argon2 and wrote them after, so a burst of parallel guesses all
 * passed the check before the first hash ended (99 × 401 and then a 200). Each attempt must take its point first.
 */
describe('login throttle under a burst of parallel attempts', () => {
  const MAX_FAILURES = 5;
  let sut: ApiHarness;

  beforeAll(async () => {
    sut = await startApi({
      LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      LOGIN_LOCK_SECONDS: '60',
      // each test claims its own client address, so the per-address budgets do not mix
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(() => sut.close());

  const login = (from: string, email: string, password: string) =>
    sut.http.post('/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('100 parallel logins, 99 wrong and the right password last, never log in', async () => {
    const email = sut.tenants[0].operators.operator.email;
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login('203.0.113.10', email, i === 99 ? PASSWORD : `guess-${i}`)),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses).not.toContain(200);
    expect(burst.every((r) => r.body.accessToken === undefined)).toBe(true);
    // no more passwords were checked than a patient attacker gets: the rest were refused before argon2
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    expect(burst.find((r) => r.status === 429)?.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // still locked afterwards, even with the right password
    expect((await login('203.0.113.11', email, PASSWORD)).status).toBe(429);
  });

  it('a burst over many accounts from one address checks no more passwords than the address allows', async () => {
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login('203.0.113.20', `nobody-${i}@example.jp`, 'wrong')),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_FAILURES * 4);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    // the right password from that address is refused too, while another address may log in
    const admin = sut.tenants[1].operators.admin.email;
    expect((await login('203.0.113.20', admin, PASSWORD)).status).toBe(429);
    expect((await login('203.0.113.21', admin, PASSWORD)).status).toBe(200);
  });

  it('sequentially, the attempt after the last allowed failure is refused, and a success resets the account', async () => {
    const email = sut.tenants[1].operators.viewer.email;
    expect((await login('203.0.113.30', email, 'wrong')).status).toBe(401);
    expect((await login('203.0.113.30', email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect((await login('203.0.113.30', email, `wrong-${i}`)).status).toBe(401);
    }
    const blocked = await login('203.0.113.30', email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('successful logins from one address do not use up its budget', async () => {
    const email = sut.tenants[1].operators.approver.email;
    for (let i = 0; i < MAX_FAILURES * 4 + 2; i++) {
      expect((await login('203.0.113.40', email, PASSWORD)).status).toBe(200);
    }
  });
});
