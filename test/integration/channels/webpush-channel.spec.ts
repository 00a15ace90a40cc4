import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type DeliveryOutcome,
  type DeliveryTarget,
  type ResolveAll,
  type WebPushPayload,
} from '@bousai/channels';
import {
  WebPushChannelAdapter,
  WebPushChannelModule,
  WebPushNotConfiguredError,
  createWebPushChannelAdapter,
  generateVapidKeys,
} from '@bousai/channels/senders';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig, type Env } from '@bousai/config';
import { Channel, verifyDeliveryAckToken } from '@bousai/domain';
import {
  FAKE_PUSH_EGRESS_ENV,
  FakePushService,
  startFakePushServiceProcess,
  type FakePushSubscription,
} from '@bousai/testing';
import { evacuationAlert } from './support/evacuation-alert';

function target(sub: FakePushSubscription, overrides: Partial<DeliveryTarget> = {}): DeliveryTarget {
  return {
    deliveryId: String(Math.floor(Math.random() * 1e12)),
    endpointId: randomUUID(),
    address: sub.endpoint,
    subscription: { endpoint: sub.endpoint, keys: sub.keys },
    language: 'ja',
    ...overrides,
  };
}

const alert = evacuationAlert;

/** Time that moves only when the test says so. */
class ManualClock implements Clock {
  private at = Date.now();
  now(): number {
    return this.at;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

const byKind = (outcomes: DeliveryOutcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.kind]: (acc[o.kind] ?? 0) + 1 }), {});

const ACK_SECRET = 'test-ack-token-secret-0123456789abcdef';

// every behaviour holds over HTTP/2 (what the adapter picks where the push service offers it) and HTTP/1.1
describe.each([
  ['HTTP/2', 'h2', {}],
  ['HTTP/1.1', 'http/1.1', { WEBPUSH_HTTP2: 'false' }],
] as const)(`${WebPushChannelAdapter.name} over %s`, (_name, protocol, protocolEnv) => {
  const vapid = generateVapidKeys();
  let fake: FakePushService;
  let env: Env;
  const adapters: WebPushChannelAdapter[] = [];

  /** The adapter exactly as the fanout app builds it, from its validated configuration. */
  function sutFromConfig(overrides: Env = {}, clock?: Clock): WebPushChannelAdapter {
    const sut = createWebPushChannelAdapter(loadConfig('fanout', { ...env, ...overrides }), clock);
    adapters.push(sut);
    return sut;
  }

  beforeAll(async () => {
    fake = await FakePushService.start({ vapidPublicKey: vapid.publicKey });
    env = {
      ...protocolEnv,
      ...FAKE_PUSH_EGRESS_ENV,
      WEBPUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
      WEBPUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
      WEBPUSH_VAPID_SUBJECT: 'mailto:bousai@city.example.jp',
      WEBPUSH_TLS_INSECURE: 'true',
      WEBPUSH_MAX_SOCKETS: '8',
      WEBPUSH_ACK_URL: 'https://bousai.example.jp/v1/acks/signed',
      ACK_TOKEN_SECRET: ACK_SECRET,
    };
  });

  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.onModuleDestroy()));
    await fake.close();
  });

  beforeEach(() => fake.reset());

  it('is the Web Push channel, and refuses to boot without VAPID keys', () => {
    expect(sutFromConfig().channel).toBe(Channel.WebPush);
    expect(() => createWebPushChannelAdapter(loadConfig('fanout', {}))).toThrow(WebPushNotConfiguredError);
  });

  it('delivers an encrypted payload the subscription decrypts, with TTL, Urgency, Topic and a VAPID JWT', async () => {
    const sut = sutFromConfig();
    const [ja, en] = [fake.createSubscription(), fake.createSubscription()];
    const message = alert();
    const targets = [target(ja), target(en, { language: 'en' })];

    const outcomes = await sut.send(targets, message);

    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent']);
    expect(outcomes[0]).toMatchObject({ providerMessageId: expect.stringMatching(/^\/message\//) });
    const [gotJa] = fake.receivedFor(ja.id);
    const [gotEn] = fake.receivedFor(en.id);
    const payloadJa = JSON.parse(gotJa.payload) as WebPushPayload;
    // the token the service worker acknowledges with: the api's verifier accepts it for this delivery only
    expect(verifyDeliveryAckToken(payloadJa.ackToken!, ACK_SECRET)).toMatchObject({
      deliveryId: targets[0].deliveryId,
    });
    expect(payloadJa).toEqual({
      v: 1,
      alertId: message.alertId,
      deliveryId: targets[0].deliveryId,
      title: '避難指示',
      body: message.texts.ja.body,
      severity: 'extreme',
      isDrill: false,
      safetyRequest: true,
      ackUrl: 'https://bousai.example.jp/v1/acks/signed',
      ackToken: expect.any(String),
      expiresAt: message.expiresAt,
    });
    expect((JSON.parse(gotEn.payload) as WebPushPayload).title).toBe('Evacuation order');
    // an hour left: the TTL says so (a second or two may pass between reading the clock and now)
    expect(gotJa.ttl).toBeGreaterThan(3_590);
    expect(gotJa.ttl).toBeLessThanOrEqual(3_600);
    expect(gotJa.urgency).toBe('high');
    expect(gotJa.topic).toBe(message.alertId.replace(/-/g, ''));
    expect(gotJa.vapid).toMatchObject({ aud: fake.origin, sub: 'mailto:bousai@city.example.jp' });
  });

  it(`sends every push over ${protocol} to a push service that offers both, and HTTP/1.1 to one without HTTP/2`, async () => {
    const h1Only = await FakePushService.start({ vapidPublicKey: vapid.publicKey, http2: false });
    try {
      const sut = sutFromConfig();
      const subs = Array.from({ length: 30 }, () => fake.createSubscription());
      const old = Array.from({ length: 10 }, () => h1Only.createSubscription());

      const outcomes = await sut.send(
        [...subs, ...old].map((s) => target(s)),
        alert(),
      );

      expect(byKind(outcomes)).toEqual({ sent: 40 });
      expect(fake.stats().byProtocol).toEqual(
        protocol === 'h2' ? { h2: 30, 'http/1.1': 0 } : { h2: 0, 'http/1.1': 30 },
      );
      expect(h1Only.stats().byProtocol).toEqual({ h2: 0, 'http/1.1': 10 });
      // HTTP/2: one connection, whose handshake asked which protocol and then carried every stream
      if (protocol === 'h2') expect(fake.stats().connections).toBe(1);
    } finally {
      await h1Only.close();
    }
  });

  it('signs one VAPID JWT per push-service origin and reuses it and the connections across batches', async () => {
    const other = await FakePushService.start({ vapidPublicKey: vapid.publicKey });
    try {
      const sut = sutFromConfig();
      const subs = Array.from({ length: 40 }, () => fake.createSubscription());
      const elsewhere = Array.from({ length: 10 }, () => other.createSubscription());
      for (let batch = 0; batch < 3; batch++) {
        const outcomes = await sut.send(
          [...subs, ...elsewhere].map((s) => target(s)),
          alert(),
        );
        expect(byKind(outcomes)).toEqual({ sent: 50 });
      }
      expect(fake.stats()).toMatchObject({ accepted: 120, distinctJwts: 1 });
      expect(other.stats()).toMatchObject({ accepted: 30, distinctJwts: 1 });
      // keep-alive: never more connections than the agent allows per origin, however many messages
      expect(fake.stats().connections).toBeLessThanOrEqual(8);
      expect(other.stats().connections).toBeLessThanOrEqual(8);
    } finally {
      await other.close();
    }
  });

  it('re-signs the JWT before it expires (≈12 h), not per message', async () => {
    const clock = new ManualClock();
    const sut = sutFromConfig({}, clock);
    const sub = fake.createSubscription();
    await sut.send([target(sub)], alert({ expiresAt: clock.now() + 86_400_000 }));
    clock.advance(10 * 3_600_000);
    await sut.send([target(sub)], alert({ expiresAt: clock.now() + 86_400_000 }));
    expect(fake.stats().distinctJwts).toBe(1);
    // within the last hour of its 12 h lifetime the header is replaced
    clock.advance(1.5 * 3_600_000);
    await sut.send([target(sub)], alert({ expiresAt: clock.now() + 86_400_000 }));
    expect(fake.stats()).toMatchObject({ accepted: 3, distinctJwts: 2 });
    const exps = fake.receivedFor(sub.id).map((r) => r.vapid.exp);
    expect(exps[2] - exps[0]).toBeGreaterThanOrEqual(11.5 * 3_600 - 1);
  });

  it('classifies 404/410 as dead, 429 and 5xx as retries after Retry-After', async () => {
    const sut = sutFromConfig();
    const [ok, gone, notFound, limited, down] = Array.from({ length: 5 }, () => fake.createSubscription());
    fake.setBehaviour(gone.id, { kind: 'gone' });
    fake.setBehaviour(notFound.id, { kind: 'not-found' });
    fake.setBehaviour(limited.id, { kind: 'rate-limited', retryAfterSeconds: 120 });
    fake.setBehaviour(down.id, { kind: 'unavailable', status: 503, retryAfterSeconds: 30 });
    const targets = [ok, gone, notFound, limited, down].map((s) => target(s));

    const outcomes = await sut.send(targets, alert());

    expect(outcomes).toEqual([
      expect.objectContaining({ kind: 'sent' }),
      { deliveryId: targets[1].deliveryId, kind: 'failed', errorCode: 'GONE', endpointDead: true },
      { deliveryId: targets[2].deliveryId, kind: 'failed', errorCode: 'NOT_FOUND', endpointDead: true },
      { deliveryId: targets[3].deliveryId, kind: 'retry', errorCode: 'RATE_LIMITED', retryAfterMs: 120_000 },
      { deliveryId: targets[4].deliveryId, kind: 'retry', errorCode: 'HTTP_503', retryAfterMs: 30_000 },
    ]);
  });

  it('never blames the subscription when the push service refuses our VAPID key', async () => {
    const other = generateVapidKeys();
    const wrongKey = sutFromConfig({
      WEBPUSH_VAPID_PUBLIC_KEY: other.publicKey,
      WEBPUSH_VAPID_PRIVATE_KEY: other.privateKey,
    });
    // a public key that does not belong to the private key: no push service can verify the signature
    const mismatched = sutFromConfig({ WEBPUSH_VAPID_PUBLIC_KEY: other.publicKey });
    const anyKey = await FakePushService.start();
    try {
      // a valid key the subscription was not made for: 403
      expect(await wrongKey.send([target(fake.createSubscription())], alert())).toEqual([
        expect.objectContaining({ kind: 'retry', errorCode: 'VAPID_REJECTED' }),
      ]);
      expect(fake.stats().byStatus).toEqual({ 403: 1 });
      // 401: re-signed once, then left to the retries
      expect(await mismatched.send([target(anyKey.createSubscription())], alert())).toEqual([
        expect.objectContaining({ kind: 'retry', errorCode: 'VAPID_REJECTED' }),
      ]);
      expect(anyKey.stats().byStatus).toEqual({ 401: 2 });
    } finally {
      await anyKey.close();
    }
  });

  it('marks unusable subscriptions dead without a request, and does not send an expired alert', async () => {
    const sut = sutFromConfig();
    const sub = fake.createSubscription();
    const noKeys = target(sub, { subscription: { endpoint: sub.endpoint } });
    const badKey = target(sub, {
      subscription: { endpoint: sub.endpoint, keys: { p256dh: 'AAAA', auth: 'BBBB' } },
    });

    expect(await sut.send([noKeys, badKey], alert())).toEqual([
      {
        deliveryId: noKeys.deliveryId,
        kind: 'failed',
        errorCode: 'INVALID_SUBSCRIPTION',
        endpointDead: true,
      },
      {
        deliveryId: badKey.deliveryId,
        kind: 'failed',
        errorCode: 'INVALID_SUBSCRIPTION',
        endpointDead: true,
      },
    ]);
    expect(await sut.send([target(sub)], alert({ expiresAt: Date.now() - 1 }))).toEqual([
      expect.objectContaining({ kind: 'failed', errorCode: 'EXPIRED', endpointDead: false }),
    ]);
    expect(fake.stats().requests).toBe(0);
  });

  it('shortens a body too long for one push message instead of being refused with 413', async () => {
    const sut = sutFromConfig();
    const sub = fake.createSubscription();
    const long = '土砂災害警戒情報。'.repeat(400);

    const outcomes = await sut.send(
      [target(sub)],
      alert({ texts: { ja: { title: '土砂災害', body: long } } }),
    );

    expect(outcomes[0].kind).toBe('sent');
    const got = JSON.parse(fake.receivedFor(sub.id)[0].payload) as WebPushPayload;
    expect(got.title).toBe('土砂災害');
    expect(got.body.endsWith('…')).toBe(true);
    expect(long.startsWith(got.body.slice(0, -1))).toBe(true);
  });

  it('names the cancelled alert and reuses its Topic, so an undelivered original is replaced', async () => {
    const sut = sutFromConfig();
    const sub = fake.createSubscription();
    const original = randomUUID();
    await sut.send([target(sub)], alert({ cancelsAlertId: original }));
    const [got] = fake.receivedFor(sub.id);
    expect(got.topic).toBe(original.replace(/-/g, ''));
    expect((JSON.parse(got.payload) as WebPushPayload).cancelsAlertId).toBe(original);
  });

  it('retries when the push service cannot be reached, and refuses http endpoints unless allowed', async () => {
    const sut = sutFromConfig({ WEBPUSH_REQUEST_TIMEOUT_MS: '2000' });
    const sub = fake.createSubscription();
    const closed = await FakePushService.start();
    const unreachable = closed.createSubscription();
    await closed.close();
    const plain = { ...sub, endpoint: sub.endpoint.replace('https:', 'http:') };

    const outcomes = await sut.send([target(unreachable), target(plain)], alert());

    expect(outcomes[0]).toMatchObject({ kind: 'retry', errorCode: 'ECONNREFUSED' });
    expect(outcomes[1]).toMatchObject({
      kind: 'failed',
      errorCode: 'EGRESS_REFUSED_SCHEME',
      endpointDead: false,
    });
  });

  it('gives up on a push service that does not answer within WEBPUSH_REQUEST_TIMEOUT_MS, for a later retry', async () => {
    const slow = await FakePushService.start({ vapidPublicKey: vapid.publicKey, latencyMs: 1_500 });
    try {
      const sut = sutFromConfig({ WEBPUSH_REQUEST_TIMEOUT_MS: '200' });
      const sub = slow.createSubscription();

      const outcomes = await sut.send([target(sub)], alert());

      expect(outcomes).toEqual([expect.objectContaining({ kind: 'retry', errorCode: 'TIMEOUT' })]);
    } finally {
      await slow.close();
    }
  });

  it('encrypts on worker threads when WEBPUSH_ENCRYPT_THREADS asks for them, with the same outcomes', async () => {
    const sut = sutFromConfig({ WEBPUSH_ENCRYPT_THREADS: '2' });
    const subs = Array.from({ length: 60 }, () => fake.createSubscription());
    const badKey = target(subs[0], {
      subscription: { endpoint: subs[0].endpoint, keys: { p256dh: 'AAAA', auth: 'BBBB' } },
    });
    const message = alert();

    const outcomes = await sut.send([...subs.map((s) => target(s)), badKey], message);

    expect(byKind(outcomes)).toEqual({ sent: 60, failed: 1 });
    expect(outcomes[60]).toMatchObject({ errorCode: 'INVALID_SUBSCRIPTION', endpointDead: true });
    const got = JSON.parse(fake.receivedFor(subs[59].id)[0].payload) as WebPushPayload;
    expect(got).toMatchObject({ alertId: message.alertId, deliveryId: outcomes[59].deliveryId });

    await sut.onModuleDestroy();
    // a closed pool is the process shutting down: retried elsewhere, nobody's subscription is blamed
    expect(await sut.send([target(subs[1])], alert())).toEqual([
      expect.objectContaining({ kind: 'retry', errorCode: 'ENCRYPTION_UNAVAILABLE' }),
    ]);
  });

  it('is provided by WebPushChannelModule from the fanout configuration', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forApp('fanout', env), WebPushChannelModule],
    }).compile();
    const sut = moduleRef.get(WebPushChannelAdapter);
    const sub = fake.createSubscription();
    expect(await sut.send([target(sub)], alert())).toEqual([expect.objectContaining({ kind: 'sent' })]);
    await moduleRef.close();
  });

  it('works against the fake push service in its own process, over plain http when allowed', async () => {
    const proc = await startFakePushServiceProcess({ tls: false, record: true });
    try {
      const sut = sutFromConfig({ WEBPUSH_ALLOW_HTTP: 'true' });
      const subs = await proc.createSubscriptions(3);
      await proc.setBehaviour(subs[2].id, { kind: 'gone' });
      const message = alert();

      const outcomes = await sut.send(
        subs.map((s) => target(s)),
        message,
      );

      expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent', 'failed']);
      expect(await proc.stats()).toMatchObject({
        accepted: 2,
        distinctJwts: 1,
        byStatus: { 201: 2, 410: 1 },
      });
      const [got] = await proc.received(subs[0].id);
      expect((JSON.parse(got.payload) as WebPushPayload).alertId).toBe(message.alertId);
    } finally {
      await proc.stop();
    }
  });

  describe('egress to internal hosts', () => {
    /** The defaults: only the real push services, never loopback. */
    const DEFAULTS: Env = { WEBPUSH_ALLOWED_ORIGINS: '', WEBPUSH_LOOPBACK_ORIGINS: '' };
    const KEYS = () => fake.createSubscription().keys;

    /** A resolver that knows made-up names only: nothing leaves the host, whatever the code under test does. */
    function resolver(zone: Record<string, string[]>): ResolveAll & { asked: string[] } {
      const asked: string[] = [];
      const resolve = (hostname: string) => {
        asked.push(hostname);
        return Promise.resolve(
          (zone[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
        );
      };
      return Object.assign(resolve, { asked });
    }

    function sutResolving(overrides: Env, resolve: ResolveAll): WebPushChannelAdapter {
      const sut = createWebPushChannelAdapter(
        loadConfig('fanout', { ...env, ...overrides }),
        undefined,
        resolve,
      );
      adapters.push(sut);
      return sut;
    }

    it('refuses the fake on 127.0.0.1 under the default settings: failed for good, nothing connected', async () => {
      const resolve = resolver({});
      const sut = sutResolving(DEFAULTS, resolve);
      const sub = fake.createSubscription();

      const outcomes = await sut.send([target(sub)], alert());

      expect(outcomes).toEqual([
        expect.objectContaining({
          kind: 'failed',
          errorCode: 'EGRESS_REFUSED_LOOPBACK',
          endpointDead: false,
        }),
      ]);
      expect(fake.stats()).toMatchObject({ connections: 0, requests: 0 });
      expect(resolve.asked).toEqual([]);
    });

    it.each([
      ['https://127.0.0.1:4000/push/x', 'LOOPBACK'],
      ['https://169.254.169.254/latest/meta-data', 'LINK_LOCAL'],
      ['https://10.0.0.1/push/x', 'PRIVATE'],
      ['https://[::1]/push/x', 'LOOPBACK'],
      ['https://[::ffff:7f00:1]/push/x', 'LOOPBACK'],
      ['https://user:pass@fcm.googleapis.com/fcm/send/x', 'USERINFO'],
      ['https://localhost/push/x', 'LOCAL_NAME'],
      ['http://fcm.googleapis.com/fcm/send/x', 'SCHEME'],
      ['https://push.example.com/x', 'NOT_ALLOWED'],
    ])('refuses a stored endpoint %s (%s) before resolving or connecting anything', async (endpoint, why) => {
      const resolve = resolver({});
      const sut = sutResolving(DEFAULTS, resolve);

      const outcomes = await sut.send(
        [target(fake.createSubscription(), { address: endpoint, subscription: { endpoint, keys: KEYS() } })],
        alert(),
      );

      expect(outcomes).toEqual([
        expect.objectContaining({ kind: 'failed', errorCode: `EGRESS_REFUSED_${why}`, endpointDead: false }),
      ]);
      expect(resolve.asked).toEqual([]);
    });

    it('refuses a name that resolves to loopback unless that origin may be loopback (DNS rebinding)', async () => {
      const named = await FakePushService.start({
        vapidPublicKey: vapid.publicKey,
        hostname: 'push.rebind.test',
      });
      try {
        const zone = { 'push.rebind.test': ['127.0.0.1'] };
        const allowed: Env = {
          WEBPUSH_ALLOWED_ORIGINS: 'https://push.rebind.test:*',
          WEBPUSH_LOOPBACK_ORIGINS: '',
        };
        const resolve = resolver(zone);
        const refusing = sutResolving(allowed, resolve);
        const sub = named.createSubscription();

        // the name passes every check on the URL; its address is refused when the socket asks for it
        expect(await refusing.send([target(sub)], alert())).toEqual([
          expect.objectContaining({
            kind: 'failed',
            errorCode: 'EGRESS_REFUSED_LOOPBACK',
            endpointDead: false,
          }),
        ]);
        expect(resolve.asked).toContain('push.rebind.test');
        expect(named.stats()).toMatchObject({ connections: 0 });

        // the same name, listed as a loopback origin: the guard's answer is what the socket dials
        const trusting = sutResolving(
          { ...allowed, WEBPUSH_LOOPBACK_ORIGINS: 'https://push.rebind.test:*' },
          resolver(zone),
        );
        expect(await trusting.send([target(sub)], alert())).toEqual([
          expect.objectContaining({ kind: 'sent' }),
        ]);
        expect(named.receivedFor(sub.id)).toHaveLength(1);
      } finally {
        await named.close();
      }
    });

    // a name that turns inward after the first connection: every later connection asks the guard again
    if (protocol === 'h2') {
      it('refuses a later HTTP/2 session whose lookup now answers an internal address, for good', async () => {
        const named = await FakePushService.start({
          vapidPublicKey: vapid.publicKey,
          hostname: 'push.rebind.test',
        });
        try {
          const trusted = {
            WEBPUSH_ALLOWED_ORIGINS: 'https://push.rebind.test:*',
            WEBPUSH_LOOPBACK_ORIGINS: 'https://push.rebind.test:*',
          };
          // the first answer is loopback (allowed here); later ones add 0.0.0.0, which no origin may reach
          // (were it dialled anyway, it would still be this host)
          const answers = [['127.0.0.1'], ['127.0.0.1', '0.0.0.0']];
          const resolve: ResolveAll = () =>
            Promise.resolve(
              (answers.length > 1 ? answers.shift()! : answers[0]).map((address) => ({ address, family: 4 })),
            );
          const sut = sutResolving({ ...trusted, WEBPUSH_HTTP2_SESSIONS: '2' }, resolve);
          const subs = [named.createSubscription(), named.createSubscription()];

          // two pushes at once: the first rides the handshake's session, the second opens the pool's second one
          const outcomes = await sut.send(
            subs.map((s) => target(s)),
            alert(),
          );

          expect(outcomes.map((o) => o.kind).sort()).toEqual(['failed', 'sent']);
          expect(outcomes.find((o) => o.kind === 'failed')).toMatchObject({
            errorCode: 'EGRESS_REFUSED_UNSPECIFIED',
            endpointDead: false,
          });
          expect(named.stats()).toMatchObject({ connections: 1, accepted: 1 });
        } finally {
          await named.close();
        }
      });
    }

    it('refuses localhost, which resolves to loopback, even with any public host allowed', async () => {
      const local = await FakePushService.start({ vapidPublicKey: vapid.publicKey, hostname: 'localhost' });
      try {
        const resolve = resolver({});
        const sut = sutResolving({ WEBPUSH_ALLOWED_ORIGINS: '*', WEBPUSH_LOOPBACK_ORIGINS: '' }, resolve);

        expect(await sut.send([target(local.createSubscription())], alert())).toEqual([
          expect.objectContaining({ kind: 'failed', errorCode: 'EGRESS_REFUSED_LOCAL_NAME' }),
        ]);
        expect(local.stats()).toMatchObject({ connections: 0 });
        expect(resolve.asked).toEqual([]);
      } finally {
        await local.close();
      }
    });
  });
});
