import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Role } from '@bousai/domain';
import { FAKE_PUSH_EGRESS_ENV } from '@bousai/testing';
import { startApi, type ApiHarness } from '../support/api-harness';

function webPushKeys(): { p256dh: string; auth: string } {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
  return { p256dh: point.toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

const FCM_TOKEN = `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(105).toString('base64url')}`;

/** An operator creates a resident and an enrolment code; the resident's device redeems it for a credential. */
async function enrolResident(sut: ApiHarness, externalId: string): Promise<string> {
  const base = `/v1/municipalities/${sut.tenants[0].municipalityId}`;
  const [yasugi] = sut.tenants;
  const op = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Operator)}`] as const;
  const r = await sut.http
    .post(`${base}/residents`)
    .set(...op)
    .send({ externalId, name: '登録 テスト' });
  const code = await sut.http
    .post(`${base}/residents/${r.body.id}/enrolment-codes`)
    .set(...op)
    .send();
  expect(code.status).toBe(201);
  const enrol = await sut.http
    .post('/v1/resident/enrol')
    .send({ code: code.body.code.toLowerCase(), deviceLabel: 'test phone' });
  expect(enrol.status).toBe(201);
  expect(enrol.body.credential).toMatch(/^rc_/);
  // single use
  const again = await sut.http.post('/v1/resident/enrol').send({ code: code.body.code });
  expect(again.status).toBe(401);
  return enrol.body.credential as string;
}

describe('resident self-registration', () => {
  let sut: ApiHarness;
  let credential: string;
  let other: string;

  beforeAll(async () => {
    sut = await startApi();
    credential = await enrolResident(sut, 'RES-1');
    other = await enrolResident(sut, 'RES-2');
  });
  afterAll(() => sut.close());

  const register = (body: object, token = credential) =>
    sut.http.post('/v1/resident/endpoints').set('Authorization', `Bearer ${token}`).send(body);

  it('registers an FCM token, a Web Push subscription, an email and a LINE id', async () => {
    const results = await Promise.all([
      register({ channel: 'fcm', token: FCM_TOKEN }),
      register({
        channel: 'webpush',
        subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: webPushKeys() },
      }),
      register({ channel: 'email', email: 'Someone@Example.org' }),
      register({ channel: 'line', lineUserId: `U${randomBytes(16).toString('hex')}` }),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const list = await sut.http.get('/v1/resident/endpoints').set('Authorization', `Bearer ${credential}`);
    expect(list.body.map((e: { channel: string }) => e.channel).sort()).toEqual([
      'email',
      'fcm',
      'line',
      'webpush',
    ]);
    expect(JSON.stringify(list.body)).not.toContain(FCM_TOKEN);
    const [row] = await sut.db.dataSource.query(`SELECT address FROM endpoint WHERE channel = 'email'`);
    expect(row.address).toBe('someone@example.org');
    // registering the same token again is idempotent
    expect((await register({ channel: 'fcm', token: FCM_TOKEN })).status).toBe(201);
    const [{ n }] = await sut.db.dataSource.query(
      `SELECT count(*)::int AS n FROM endpoint WHERE channel = 'fcm'`,
    );
    expect(n).toBe(1);
  });

  it.each([
    [{ channel: 'fcm', token: 'short' }, 'INVALID_FCM_TOKEN'],
    [{ channel: 'fcm', token: `${'x'.repeat(150)} spaces` }, 'INVALID_FCM_TOKEN'],
    [
      { channel: 'webpush', subscription: { endpoint: 'http://push.example/x', keys: webPushKeys() } },
      'INVALID_WEBPUSH_SUBSCRIPTION',
    ],
    [
      {
        channel: 'webpush',
        subscription: { endpoint: 'https://push.example/x', keys: { p256dh: 'AAAA', auth: 'BBBB' } },
      },
      'INVALID_WEBPUSH_SUBSCRIPTION',
    ],
    [
      { channel: 'webpush', subscription: { endpoint: 'not a url', keys: webPushKeys() } },
      'INVALID_WEBPUSH_SUBSCRIPTION',
    ],
    [{ channel: 'email', email: 'no-at-sign' }, 'INVALID_EMAIL'],
    [{ channel: 'line', lineUserId: 'U123' }, 'INVALID_LINE_USER_ID'],
  ])('rejects a malformed registration %j with %s', async (body, code) => {
    const res = await register(body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
  });

  // the probes and their variants: refused by the URL alone, nothing resolved, nothing connected
  it.each([
    ['https://127.0.0.1:4000/push/x', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://10.0.0.1/push/x', 'private'],
    ['https://[::1]/push/x', 'loopback'],
    ['https://[::ffff:127.0.0.1]/push/x', 'loopback'],
    ['https://[64:ff9b::a9fe:a9fe]/push/x', 'link-local'],
    ['https://[fd00::1]/push/x', 'private'],
    ['https://100.64.0.1/push/x', 'carrier-grade-nat'],
    ['https://2130706433/push/x', 'loopback'],
    ['https://user:pass@fcm.googleapis.com/fcm/send/x', 'userinfo'],
    ['https://localhost/push/x', 'local-name'],
    ['https://metadata.google.internal/computeMetadata/v1', 'local-name'],
    ['https://push.example.com/x', 'not-allowed'],
    ['https://fcm.googleapis.com:8443/fcm/send/x', 'not-allowed'],
    [`https://fcm.googleapis.com/fcm/send/${'x'.repeat(2100)}`, 'too-long'],
  ])('refuses a Web Push endpoint %s with 422 naming the reason (%s)', async (endpoint, reason) => {
    const webPushRows = async () =>
      (
        await sut.db.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM endpoint WHERE channel = 'webpush'`,
        )
      )[0].n;
    const before = await webPushRows();
    const res = await register({ channel: 'webpush', subscription: { endpoint, keys: webPushKeys() } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_WEBPUSH_SUBSCRIPTION',
      message: expect.stringContaining('endpoint refused'),
      details: { field: 'endpoint', reason },
    });
    expect(await webPushRows()).toBe(before);
  });

  it.each([
    'https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk',
    'https://web.push.apple.com/QGuQyavXutnMH',
    'https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB',
  ])('accepts the known push service endpoint %s', async (endpoint) => {
    const res = await register({ channel: 'webpush', subscription: { endpoint, keys: webPushKeys() } });
    expect(res.status).toBe(201);
  });

  it('refuses channels residents may not self-register, and unknown fields', async () => {
    expect((await register({ channel: 'receiver', token: 'x' })).status).toBe(400);
    expect((await register({ channel: 'fcm', token: FCM_TOKEN, admin: true })).status).toBe(400);
  });

  it("will not hand one resident's token to another", async () => {
    const res = await register({ channel: 'fcm', token: FCM_TOKEN }, other);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ENDPOINT_TAKEN');
  });

  it('a revoked credential stops working', async () => {
    const extra = await enrolResident(sut, 'RES-3');
    expect((await sut.http.post('/v1/resident/logout').set('Authorization', `Bearer ${extra}`)).status).toBe(
      204,
    );
    const res = await sut.http.get('/v1/resident/endpoints').set('Authorization', `Bearer ${extra}`);
    expect(res.status).toBe(401);
  });
});

describe('resident self-registration with the fake push services trusted (FAKE_PUSH_EGRESS_ENV)', () => {
  let sut: ApiHarness;
  let credential: string;

  beforeAll(async () => {
    sut = await startApi({ ...FAKE_PUSH_EGRESS_ENV });
    credential = await enrolResident(sut, 'RES-FAKES');
  });
  afterAll(() => sut.close());

  const register = (endpoint: string) =>
    sut.http
      .post('/v1/resident/endpoints')
      .set('Authorization', `Bearer ${credential}`)
      .send({ channel: 'webpush', subscription: { endpoint, keys: webPushKeys() } });

  it('accepts a fake on 127.0.0.1, and still refuses every other internal address and the real services', async () => {
    expect((await register('https://127.0.0.1:4443/push/abc')).status).toBe(201);
    for (const [endpoint, reason] of [
      ['https://10.0.0.1/push/x', 'private'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://[::1]:4443/push/x', 'loopback'],
      ['https://localhost:4443/push/x', 'local-name'],
      ['https://fcm.googleapis.com/fcm/send/x', 'not-allowed'],
    ]) {
      const res = await register(endpoint);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toMatchObject({ field: 'endpoint', reason });
    }
  });
});
