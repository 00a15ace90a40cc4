import { request } from 'node:https';
import { VapidHeaderCache, generateVapidKeys } from '@bousai/channels/senders';
import { FakePushService, sendWithWebPushLibrary, webPushLibraryRequest } from '@bousai/testing';

/** A raw POST, so a test can send exactly what a broken or hostile sender would. */
function post(endpoint: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      endpoint,
      {
        method: 'POST',
        rejectUnauthorized: false,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The fake is only worth testing against if it is as strict as a real push service: these cases drive it with
 * web-push itself (an independent implementation of RFC 8291/8292), then with requests it must refuse.
 */
describe(FakePushService.name, () => {
  const keys = { ...generateVapidKeys(), subject: 'mailto:bousai@city.example.jp' };
  let sut: FakePushService;

  beforeAll(async () => {
    sut = await FakePushService.start({ vapidPublicKey: keys.publicKey });
  });
  afterAll(async () => {
    await sut.close();
  });
  beforeEach(() => sut.reset());

  it("decrypts what web-push's sendNotification sends and checks its VAPID JWT", async () => {
    const sub = sut.createSubscription();

    const res = await sendWithWebPushLibrary(sub, '{"alertId":"a-1"}', keys, {
      ttlSeconds: 60,
      tlsInsecure: true,
    });

    expect(res.status).toBe(201);
    const [got] = sut.receivedFor(sub.id);
    expect(got).toMatchObject({ payload: '{"alertId":"a-1"}', ttl: 60, urgency: 'high' });
    expect(got.vapid.aud).toBe(sut.origin);
    expect(got.vapid.sub).toBe(keys.subject);
    expect(got.vapid.exp * 1_000).toBeGreaterThan(Date.now());
  });

  it('refuses a payload that was altered, or encrypted for another subscription', async () => {
    const [a, b] = [sut.createSubscription(), sut.createSubscription()];
    const req = webPushLibraryRequest(a, 'hello', keys, 60);
    const tampered = Buffer.from(req.body);
    tampered[tampered.length - 20] ^= 0x01;

    expect(await post(req.endpoint, req.headers, tampered)).toBe(400);
    expect(await post(b.endpoint, req.headers, req.body)).toBe(400);
    expect(await post(req.endpoint, req.headers, req.body)).toBe(201);
  });

  it('refuses a missing or foreign VAPID JWT, and a JWT for another audience', async () => {
    const sub = sut.createSubscription();
    const req = webPushLibraryRequest(sub, 'hello', keys, 60);
    const { authorization: _omit, ...noAuth } = req.headers;
    const other = { ...generateVapidKeys(), subject: keys.subject };
    const foreign = new VapidHeaderCache(other).header(sut.origin);
    const wrongAudience = new VapidHeaderCache(keys).header('https://push.example.net');

    expect(await post(req.endpoint, noAuth, req.body)).toBe(401);
    expect(await post(req.endpoint, { ...req.headers, authorization: foreign }, req.body)).toBe(403);
    expect(await post(req.endpoint, { ...req.headers, authorization: wrongAudience }, req.body)).toBe(401);
  });

  it('requires TTL and aes128gcm, limits the body to 4096 bytes, and knows no unknown subscription', async () => {
    const sub = sut.createSubscription();
    const req = webPushLibraryRequest(sub, 'hello', keys, 60);
    const { ttl: _ttl, ...noTtl } = req.headers;

    expect(await post(req.endpoint, noTtl, req.body)).toBe(400);
    expect(await post(req.endpoint, { ...req.headers, 'content-encoding': 'aesgcm' }, req.body)).toBe(400);
    expect(await post(req.endpoint, req.headers, Buffer.alloc(5_000))).toBe(413);
    expect(await post(`${sut.origin}/push/unknown`, req.headers, req.body)).toBe(404);
    expect(sut.stats()).toMatchObject({ requests: 0, byStatus: { 400: 2, 413: 1, 404: 1 } });
  });

  it('answers the behaviour set per subscription, for a number of times when asked', async () => {
    const sub = sut.createSubscription();
    sut.setBehaviour(sub.id, { kind: 'rate-limited', retryAfterSeconds: 5, times: 1 });
    const send = () => sendWithWebPushLibrary(sub, 'x', keys, { ttlSeconds: 60, tlsInsecure: true });

    expect((await send()).status).toBe(429);
    expect((await send()).status).toBe(201);
    sut.setBehaviour(sub.id, { kind: 'gone' });
    expect((await send()).status).toBe(410);
  });

  it('decrypts one push in decryptEvery when asked to sample, and still refuses a body that is not aes128gcm', async () => {
    const sampling = await FakePushService.start({ vapidPublicKey: keys.publicKey, decryptEvery: 3 });
    try {
      const sub = sampling.createSubscription();
      const reqs = Array.from({ length: 6 }, (_, i) =>
        webPushLibraryRequest(sub, `{"alertId":"a-${i}"}`, keys, 60),
      );
      const headerless = Buffer.alloc(120, 1);

      for (const req of reqs)
        expect(await post(req.endpoint, { ...req.headers, topic: 'alert1' }, req.body)).toBe(201);
      expect(await post(reqs[0].endpoint, reqs[0].headers, headerless)).toBe(400);

      expect(sampling.stats()).toMatchObject({ accepted: 6, decrypted: 2, byStatus: { 201: 6, 400: 1 } });
      expect(sampling.receivedFor(sub.id).map((r) => r.payload)).toEqual([
        '{"alertId":"a-0"}',
        '',
        '',
        '{"alertId":"a-3"}',
        '',
        '',
      ]);
      // without payloads to read, the same alert is recognised by its Topic: six pushes, one alert, one duplicate
      expect(sampling.stats().duplicates).toBe(1);
    } finally {
      await sampling.close();
    }
  });
});
