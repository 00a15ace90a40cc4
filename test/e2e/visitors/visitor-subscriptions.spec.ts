import { createECDH, randomBytes } from 'node:crypto';
import { type ApiHarness, startApi } from '../support/api-harness';

/** A browser's subscription on FCM's push service (the api checks it and never connects to it). */
function subscription() {
  const ecdh = createECDH('prime256v1');
  return {
    endpoint: `https://fcm.googleapis.com/fcm/send/${randomBytes(12).toString('base64url')}`,
    keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

const YASUGI = '322067';
const MATSUE = '322016';
const base = (code: string) => `/v1/public/municipalities/${code}`;

async function area(api: ApiHarness, municipalityId: string, code: string, name: string): Promise<string> {
  const [row] = await api.db.dataSource.query<{ id: string }[]>(
    `INSERT INTO area (municipality_id, code, name) VALUES ($1, $2, $3) RETURNING id`,
    [municipalityId, code, name],
  );
  return row.id;
}

describe('visitor subscriptions: public, no personal data, removable by their holder, abuse-limited', () => {
  let api: ApiHarness;
  let arashima: string;
  let hirose: string;
  let matsueArea: string;

  beforeAll(async () => {
    api = await startApi({ VISITOR_RATE_LIMIT: '1000', VISITOR_SUBSCRIPTIONS_MAX: '4' });
    arashima = await area(api, api.tenants[0].municipalityId, '01', '荒島地区');
    hirose = await area(api, api.tenants[0].municipalityId, '02', '広瀬地区');
    matsueArea = await area(api, api.tenants[1].municipalityId, '01', '松江中央');
  });
  afterAll(() => api.close());

  it('lists the districts to choose from, without signing in', async () => {
    const res = await api.http.get(`${base(YASUGI)}/districts`).expect(200);
    expect(res.body).toEqual([
      { id: arashima, name: '荒島地区', code: '01' },
      { id: hirose, name: '広瀬地区', code: '02' },
    ]);
    const unknown = await api.http.get(`${base('999999')}/districts`).expect(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('subscribes, shows the secret once and keeps only its hash; the holder changes and removes it', async () => {
    const sub = subscription();
    const created = await api.http
      .post(`${base(YASUGI)}/visitor-subscriptions`)
      .send({ subscription: sub, districts: [arashima], language: 'en' })
      .expect(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(created.body).toMatchObject({ districts: [arashima], language: 'en', status: 'active' });
    const [row] = await api.db.dataSource.query<Record<string, unknown>[]>(
      `SELECT * FROM visitor_subscription WHERE id = $1`,
      [id],
    );
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Object.keys(row).sort()).toEqual(
      [
        'id',
        'municipality_id',
        'area_ids',
        'endpoint',
        'keys',
        'language',
        'secret_hash',
        'status',
        'dead_reason',
        'dead_at',
        'created_at',
        'last_seen_at',
      ].sort(),
    );

    const url = `${base(YASUGI)}/visitor-subscriptions/${id}`;
    const wrong = await api.http.patch(url).set('X-Visitor-Secret', `${secret}x`).send({ language: 'ja' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await api.http.delete(url).send()).status).toBe(401);

    const changed = await api.http
      .patch(url)
      .set('X-Visitor-Secret', secret)
      .send({ districts: [arashima, hirose], language: 'ja-easy' })
      .expect(200);
    expect(changed.body).toMatchObject({ districts: [arashima, hirose], language: 'ja-easy' });
    await api.http.get(url).set('X-Visitor-Secret', secret).expect(200);

    // the same browser subscribing again replaces its subscription: same id, a new secret, the old one refused
    const again = await api.http
      .post(`${base(YASUGI)}/visitor-subscriptions`)
      .send({ subscription: sub, districts: [hirose], language: 'en' })
      .expect(201);
    expect(again.body).toMatchObject({ id, districts: [hirose] });
    expect((await api.http.get(url).set('X-Visitor-Secret', secret)).status).toBe(401);

    await api.http.delete(url).set('X-Visitor-Secret', again.body.secret).expect(204);
    expect((await api.http.get(url).set('X-Visitor-Secret', again.body.secret)).status).toBe(404);
  });

  it('refuses what it cannot use, in the error shape, never a 5xx', async () => {
    const post = (code: string, body: unknown) =>
      api.http.post(`${base(code)}/visitor-subscriptions`).send(body as object);
    const cases: [string, unknown, number, string][] = [
      [YASUGI, { subscription: subscription(), districts: [], language: 'en' }, 400, 'VALIDATION_FAILED'],
      [
        YASUGI,
        { subscription: subscription(), districts: [matsueArea], language: 'en' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        YASUGI,
        { subscription: subscription(), districts: [arashima], language: 'fr' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        YASUGI,
        {
          subscription: { ...subscription(), endpoint: 'https://127.0.0.1/push/x' },
          districts: [arashima],
          language: 'en',
        },
        422,
        'INVALID_WEBPUSH_SUBSCRIPTION',
      ],
      [
        YASUGI,
        {
          subscription: { ...subscription(), endpoint: 'https://evil.example/push' },
          districts: [arashima],
          language: 'en',
        },
        422,
        'INVALID_WEBPUSH_SUBSCRIPTION',
      ],
      [
        YASUGI,
        { subscription: subscription(), districts: [arashima], language: 'en', name: '山田' },
        400,
        'VALIDATION_FAILED',
      ],
      ['999999', { subscription: subscription(), districts: [arashima], language: 'en' }, 404, 'NOT_FOUND'],
    ];
    for (const [code, body, status, error] of cases) {
      const res = await post(code, body);
      expect([res.status, res.body.error?.code]).toEqual([status, error]);
    }
    const tooLarge = await post(YASUGI, {
      subscription: subscription(),
      districts: [arashima],
      language: 'en',
      padding: 'x'.repeat(9000),
    });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('holds the per-municipality cap under parallel subscriptions', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.http
          .post(`${base(MATSUE)}/visitor-subscriptions`)
          .send({ subscription: subscription(), districts: [matsueArea], language: 'ja' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(4).fill(201), ...Array(6).fill(409)]);
    expect(results.find((r) => r.status === 409)?.body.error.code).toBe('VISITOR_LIMIT_REACHED');
  });
});

describe('visitor subscriptions: the per-address rate limit', () => {
  let api: ApiHarness;
  let arashima: string;

  beforeAll(async () => {
    api = await startApi({ VISITOR_RATE_LIMIT: '5', VISITOR_RATE_LIMIT_SECONDS: '3600' });
    arashima = await area(api, api.tenants[0].municipalityId, '01', '荒島地区');
  });
  afterAll(() => api.close());

  it('accepts exactly the limit of N parallel requests from one address, the rest 429 with a retry time', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.http
          .post(`${base(YASUGI)}/visitor-subscriptions`)
          .send({ subscription: subscription(), districts: [arashima], language: 'ja' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(7);
    expect(refused[0].body.error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(refused[0].body.error.details.retryAfterSeconds).toBeGreaterThan(0);
  });
});
