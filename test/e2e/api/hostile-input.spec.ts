import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

/** The outside probe's 500s, one by one: each is now a 4xx that names what is wrong. */
describe('hostile input at the edge', () => {
  let sut: ApiHarness;
  let base: string;
  let auth: readonly [string, string];

  beforeAll(async () => {
    sut = await startApi({ ACK_TOKEN_SECRET: 'hostile-ack-token-secret-0123456789-abcdef' });
    base = `/v1/municipalities/${sut.tenants[0].municipalityId}`;
    auth = ['Authorization', `Bearer ${await sut.token(sut.tenants[0], Role.Admin)}`] as const;
  });
  afterAll(() => sut.close());

  const json = (body: string) => ['content-type', 'application/json', body] as const;

  function expectRefusal(
    res: { status: number; body: { error?: { code?: string; details?: unknown } } },
    field: string,
    problem: RegExp,
  ): void {
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('VALIDATION_FAILED');
    expect(res.body.error?.details).toEqual([{ field, problems: [expect.stringMatching(problem)] }]);
  }

  it('refuses 4 KB of nested arrays with 400 on every route, signed in or not', async () => {
    const deep = '['.repeat(2_000) + ']'.repeat(2_000);
    for (const url of ['/v1/auth/login', '/v1/resident/enrol', '/v1/acks/signed', '/v1/safety/answer']) {
      const [h, v, body] = json(deep);
      const res = await sut.http.post(url).set(h, v).send(body);
      expectRefusal(res, '(body)', /nested more than 32 levels/);
    }
    const [h, v, body] = json(`{"name":${deep}}`);
    expectRefusal(
      await sut.http
        .patch(base)
        .set(...auth)
        .set(h, v)
        .send(body),
      '(body)',
      /nested/,
    );
  });

  it('accepts JSON nested as deep as the limit, and counts brackets inside strings as text', async () => {
    const [h, v] = json('');
    const inString = await sut.http
      .post('/v1/auth/login')
      .set(h, v)
      .send(`{"email":"${'['.repeat(100)}@example.jp","password":"x"}`);
    expect(inString.body.error.details).not.toEqual([{ field: '(body)', problems: expect.anything() }]);
    const atLimit = await sut.http
      .post('/v1/auth/login')
      .set(h, v)
      .send(`{"email":${'['.repeat(31)}${']'.repeat(31)}}`);
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.error.details[0].field).toBe('email');
  });

  it('refuses a NUL character in body texts and query filters, naming the field', async () => {
    expectRefusal(
      await sut.http
        .patch(base)
        .set(...auth)
        .send({ name: '安来\u0000市' }),
      'name',
      /NUL/,
    );
    expectRefusal(
      await sut.http
        .post(`${base}/alerts`)
        .set(...auth)
        .send({ texts: { ja: { title: '避難\u0000', body: 'x' } }, targeting: { all: true } }),
      'texts.ja.title',
      /NUL/,
    );
    expectRefusal(
      await sut.http
        .post(`${base}/drills`)
        .set(...auth)
        .send({ title: 'drill\u0000' }),
      'title',
      /NUL/,
    );
    expectRefusal(
      await sut.http.get(`${base}/households?externalId=a%00b`).set(...auth),
      'externalId',
      /NUL/,
    );
    expectRefusal(await sut.http.get(`${base}/residents/a%00b`).set(...auth), 'id', /NUL/);
  });

  it('refuses a lone surrogate, in a value or a key', async () => {
    const [h, v] = json('');
    expectRefusal(
      await sut.http.post('/v1/auth/login').set(h, v).send('{"email":"\\ud800@example.jp","password":"x"}'),
      'email',
      /lone UTF-16 surrogate/,
    );
    expectRefusal(
      await sut.http.post('/v1/safety/answer').set(h, v).send('{"token":"t\\udfff"}'),
      'token',
      /surrogate/,
    );
    expectRefusal(
      await sut.http.post('/v1/auth/login').set(h, v).send('{"a\\ud800":1}'),
      '(body)',
      /surrogate/,
    );
  });

  it('refuses __proto__ as a key', async () => {
    const [h, v] = json('');
    expectRefusal(
      await sut.http
        .patch(base)
        .set(...auth)
        .set(h, v)
        .send('{"settings":{"__proto__":{"polluted":true}}}'),
      'settings.__proto__',
      /__proto__/,
    );
  });

  it('refuses cursors that are not what the list handed out', async () => {
    const alerts = await sut.http.get(`${base}/alerts?cursor=abc`).set(...auth);
    expect(alerts.status).toBe(400);
    expect(alerts.body.error.details[0].field).toBe('cursor');
    const households = await sut.http.get(`${base}/households?cursor=abc`).set(...auth);
    expect(households.status).toBe(400);
    const good = await sut.http.get(`${base}/alerts?cursor=${new Date().toISOString()}`).set(...auth);
    expect(good.status).toBe(200);
  });

  it('refuses texts of the wrong shape on alert creation and correction', async () => {
    for (const texts of [{ ja: null }, { ja: { title: 1, body: 'x' } }, { ja: 'text' }, ['x']]) {
      const res = await sut.http
        .post(`${base}/alerts`)
        .set(...auth)
        .send({ texts, targeting: { all: true } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'texts', problems: [expect.any(String)] }]);
    }
  });

  it('answers a JSON body over the limit with 413 and the error shape', async () => {
    const res = await sut.http
      .post('/v1/auth/login')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ email: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String), details: null });
  });
});
