import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenBucket, type Clock, type DeliveryOutcome, type DeliveryTarget } from '@bousai/channels';
import {
  FcmAccessTokenCache,
  FcmChannelAdapter,
  FcmChannelModule,
  Http2SessionPool,
  ServiceAccountJwtCredential,
  createFcmChannelAdapter,
} from '@bousai/channels/senders';
import { Test } from '@nestjs/testing';
import { ConfigModule, loadConfig, type Env } from '@bousai/config';
import { Channel, verifyDeliveryAckToken } from '@bousai/domain';
import { FakeFcmServer, startFakeFcmProcess } from '@bousai/testing';
import { evacuationAlert } from './support/evacuation-alert';

/** A registration token shaped like a real one (parseFcmToken accepts it). */
const fcmToken = () =>
  `${randomBytes(16).toString('base64url')}:APA91b${randomBytes(105).toString('base64url')}`;

function target(overrides: Partial<DeliveryTarget> = {}): DeliveryTarget {
  return {
    deliveryId: randomUUID(),
    endpointId: randomUUID(),
    address: fcmToken(),
    language: 'ja',
    ...overrides,
  };
}

const alert = evacuationAlert;

/** Time that moves only when the test says so; sleepers wake when it passes their deadline. */
class ManualClock implements Clock {
  private at = Date.now();
  private sleepers: { until: number; wake: () => void }[] = [];
  now(): number {
    return this.at;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.at + ms, wake }));
  }
  sleeping(): number {
    return this.sleepers.length;
  }
  advance(ms: number): void {
    this.at += ms;
    const due = this.sleepers.filter((s) => s.until <= this.at);
    this.sleepers = this.sleepers.filter((s) => s.until > this.at);
    for (const s of due) s.wake();
  }
}

/** Polls a condition the fake's counters will reach; the assertion is on the counts, not on time. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`never reached: ${what}`);
}

const byKind = (outcomes: DeliveryOutcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.kind]: (acc[o.kind] ?? 0) + 1 }), {});

describe(FcmChannelAdapter.name, () => {
  let fake: FakeFcmServer;
  let dir: string;
  let env: Env;
  const adapters: FcmChannelAdapter[] = [];

  /** The adapter exactly as the fanout app builds it, from its validated configuration. */
  function sutFromConfig(overrides: Env = {}): FcmChannelAdapter {
    const sut = createFcmChannelAdapter(loadConfig('fanout', { ...env, ...overrides }));
    adapters.push(sut);
    return sut;
  }

  beforeAll(async () => {
    fake = await FakeFcmServer.start({ projectId: 'bousai-fake' });
    dir = mkdtempSync(join(tmpdir(), 'bousai-fcm-'));
    const credentialsFile = join(dir, 'service-account.json');
    writeFileSync(credentialsFile, JSON.stringify(fake.serviceAccount()));
    env = {
      FCM_BASE_URL: fake.url,
      FCM_CREDENTIALS_FILE: credentialsFile,
      FCM_TOKEN_URL: fake.tokenUrl,
      FCM_SESSIONS: '4',
      FCM_MAX_STREAMS: '100',
      FCM_REQUEST_TIMEOUT_MS: '5000',
    };
  });

  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.onModuleDestroy()));
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => fake.reset());

  it('is the FCM channel', () => {
    expect(sutFromConfig().channel).toBe(Channel.Fcm);
  });

  it("delivers each target the alert in its language (the next of its fallback chain when the alert has none), with the provider's message id", async () => {
    const sut = sutFromConfig();
    const message = alert();
    const en = target({ language: 'en' });
    const ja = target({ language: 'ja' });
    const vi = target({ language: 'vi' });

    const outcomes = await sut.send([en, ja, vi], message);

    expect(outcomes).toEqual(
      [en, ja, vi].map((t) => ({
        deliveryId: t.deliveryId,
        kind: 'sent',
        providerMessageId: expect.stringMatching(/^projects\/bousai-fake\/messages\/.+/),
      })),
    );
    const data = (t: DeliveryTarget) => fake.receivedFor(t.address)[0].message.data as Record<string, string>;
    expect(data(en)).toMatchObject({ title: 'Evacuation order', language: 'en', alertId: message.alertId });
    expect(data(ja)).toMatchObject({ title: '避難指示', language: 'ja' });
    // no Vietnamese text: English comes before Japanese for a Vietnamese reader
    expect(data(vi)).toMatchObject({ title: 'Evacuation order', language: 'en' });
    expect(fake.receivedFor(en.address)[0].message.notification).toEqual(message.texts.en);
  });

  it('marks a real severe alert for immediate, critical delivery on Android and iOS, expiring with the alert', async () => {
    const sut = sutFromConfig();
    const message = alert({ expiresAt: Date.now() + 1_800_000 });
    const t = target();

    await sut.send([t], message);

    const [received] = fake.receivedFor(t.address);
    expect(received.message).toMatchObject({
      token: t.address,
      data: {
        alertId: message.alertId,
        severity: 'extreme',
        isDrill: 'false',
        safetyRequest: 'true',
        expiresAt: String(message.expiresAt),
      },
      android: {
        priority: 'high',
        notification: {
          channel_id: 'bousai_emergency',
          notification_priority: 'PRIORITY_MAX',
          visibility: 'PUBLIC',
          tag: message.alertId,
        },
      },
      apns: {
        headers: {
          'apns-priority': '10',
          'apns-push-type': 'alert',
          'apns-expiration': String(Math.floor(message.expiresAt / 1000)),
        },
        payload: { aps: { 'interruption-level': 'critical', sound: { critical: 1, name: 'default' } } },
      },
    });
    const android = received.message.android as { ttl: string };
    const ttlSeconds = Number(/^(\d+)(\.\d+)?s$/.exec(android.ttl)?.[1]);
    expect(ttlSeconds).toBeGreaterThan(1_790);
    expect(ttlSeconds).toBeLessThanOrEqual(1_800);
  });

  it('sends a drill as time-sensitive, never as a critical alert', async () => {
    const sut = sutFromConfig();
    const t = target();

    await sut.send([t], alert({ isDrill: true }));

    const [received] = fake.receivedFor(t.address);
    expect(received.message).toMatchObject({
      data: { isDrill: 'true' },
      apns: { payload: { aps: { 'interruption-level': 'time-sensitive', sound: 'default' } } },
    });
  });

  it('carries the delivery id, and a signed ack token for that delivery only when ACK_TOKEN_SECRET is set', async () => {
    const secret = 'fcm-ack-token-secret-0123456789-abcdef';
    const [a, b] = [target({ deliveryId: '1001' }), target({ deliveryId: '1002' })];
    await sutFromConfig({ ACK_TOKEN_SECRET: secret, ACK_TOKEN_TTL_SECONDS: '3600' }).send([a, b], alert());
    const data = (t: DeliveryTarget) => fake.receivedFor(t.address)[0].message.data as Record<string, string>;
    for (const t of [a, b]) {
      expect(data(t).deliveryId).toBe(t.deliveryId);
      const claims = verifyDeliveryAckToken(data(t).ackToken, secret);
      expect(claims.deliveryId).toBe(t.deliveryId);
      expect(claims.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    }

    const c = target({ deliveryId: '1003' });
    await sutFromConfig().send([c], alert());
    expect(data(c).deliveryId).toBe('1003');
    expect(data(c)).not.toHaveProperty('ackToken');
  });

  it('does not send an alert that has already expired', async () => {
    const sut = sutFromConfig();
    const t = target();

    const outcomes = await sut.send([t], alert({ expiresAt: Date.now() - 1 }));

    expect(outcomes).toEqual([
      { deliveryId: t.deliveryId, kind: 'failed', errorCode: 'EXPIRED', endpointDead: false },
    ]);
    expect(fake.stats().requests).toBe(0);
  });

  it('fetches one access token and reuses it for every send', async () => {
    const sut = sutFromConfig();
    const message = alert();

    for (let batch = 0; batch < 3; batch++) {
      await sut.send(
        Array.from({ length: 200 }, () => target()),
        message,
      );
    }

    expect(fake.stats()).toMatchObject({ tokenRequests: 1, requests: 600, accepted: 600 });
  });

  it('on 401 fetches a new token once for the whole batch and resends inline', async () => {
    const sut = sutFromConfig();
    await sut.send([target()], alert());
    fake.reset();
    fake.expireAccessTokens();

    const outcomes = await sut.send(
      Array.from({ length: 300 }, () => target()),
      alert(),
    );

    expect(byKind(outcomes)).toEqual({ sent: 300 });
    expect(fake.stats()).toMatchObject({ tokenRequests: 1, accepted: 300 });
    expect(fake.stats().byStatus['401']).toBeGreaterThan(0);
  });

  it('reports dead endpoints: UNREGISTERED, a rejected token and a token of another sender', async () => {
    const sut = sutFromConfig();
    const gone = target();
    const malformed = target();
    const foreign = target();
    const fine = target();
    fake.setBehaviour(gone.address, { kind: 'unregistered' });
    fake.setBehaviour(malformed.address, { kind: 'invalid' });
    fake.setBehaviour(foreign.address, { kind: 'sender-mismatch' });

    const outcomes = await sut.send([gone, malformed, foreign, fine], alert());

    expect(outcomes).toEqual([
      { deliveryId: gone.deliveryId, kind: 'failed', errorCode: 'UNREGISTERED', endpointDead: true },
      { deliveryId: malformed.deliveryId, kind: 'failed', errorCode: 'INVALID_ARGUMENT', endpointDead: true },
      { deliveryId: foreign.deliveryId, kind: 'failed', errorCode: 'SENDER_ID_MISMATCH', endpointDead: true },
      expect.objectContaining({ deliveryId: fine.deliveryId, kind: 'sent' }),
    ]);
  });

  it("asks for a retry after FCM's Retry-After on 429 QUOTA_EXCEEDED", async () => {
    const sut = sutFromConfig();
    const t = target();
    fake.setBehaviour(t.address, { kind: 'quota', retryAfterSeconds: 30 });

    const [outcome] = await sut.send([t], alert());

    expect(outcome).toEqual({
      deliveryId: t.deliveryId,
      kind: 'retry',
      errorCode: 'QUOTA_EXCEEDED',
      retryAfterMs: 30_000,
    });
  });

  it('asks for a retry on 500 and 503, and the retry of that subset then goes through', async () => {
    const sut = sutFromConfig();
    const internal = target();
    const unavailable = target();
    fake.setBehaviour(internal.address, { kind: 'unavailable', status: 500, times: 1 });
    fake.setBehaviour(unavailable.address, {
      kind: 'unavailable',
      status: 503,
      retryAfterSeconds: 5,
      times: 1,
    });
    const message = alert();

    const first = await sut.send([internal, unavailable], message);
    const second = await sut.send([internal, unavailable], message);

    expect(first).toEqual([
      { deliveryId: internal.deliveryId, kind: 'retry', errorCode: 'INTERNAL' },
      { deliveryId: unavailable.deliveryId, kind: 'retry', errorCode: 'UNAVAILABLE', retryAfterMs: 5_000 },
    ]);
    expect(byKind(second)).toEqual({ sent: 2 });
  });

  it('asks for a retry when a response does not come in time', async () => {
    const sut = sutFromConfig({ FCM_REQUEST_TIMEOUT_MS: '200' });
    await sut.send([target()], alert()); // token fetched while the fake is fast
    fake.setLatency(1_000);
    try {
      const [outcome] = await sut.send([target()], alert());
      expect(outcome).toMatchObject({ kind: 'retry', errorCode: 'TIMEOUT' });
    } finally {
      fake.setLatency(0);
    }
  });

  it('asks for a retry of every target when FCM cannot be reached', async () => {
    const down = await FakeFcmServer.start();
    const url = down.url;
    await down.close();
    const sut = sutFromConfig({ FCM_BASE_URL: url });

    const outcomes = await sut.send(
      Array.from({ length: 20 }, () => target()),
      alert(),
    );

    expect(byKind(outcomes)).toEqual({ retry: 20 });
    expect(outcomes[0]).toMatchObject({
      errorCode: expect.stringMatching(/ECONNREFUSED|STREAM|SESSION|RST/),
    });
  });

  it('asks for a retry of every target when no access token can be had', async () => {
    const sut = sutFromConfig({ FCM_TOKEN_URL: `${fake.url}/no-such-endpoint` });

    const outcomes = await sut.send(
      Array.from({ length: 5 }, () => target()),
      alert(),
    );

    expect(outcomes.map((o) => o.kind === 'retry' && o.errorCode)).toEqual(Array(5).fill('AUTH_UNAVAILABLE'));
    expect(fake.stats().requests).toBe(0);
  });

  it('replaces sessions the server closes with GOAWAY and goes on sending', async () => {
    const sut = sutFromConfig({ FCM_SESSIONS: '2' });
    const message = alert();
    await sut.send(
      Array.from({ length: 300 }, () => target()),
      message,
    );
    const before = fake.stats().sessions;

    fake.closeSessions();
    const outcomes = await sut.send(
      Array.from({ length: 300 }, () => target()),
      message,
    );

    expect(byKind(outcomes)).toEqual({ sent: 300 });
    expect(fake.stats().sessions - before).toBeLessThanOrEqual(2);
    expect(fake.stats().sessions - before).toBeGreaterThan(0);
  });

  it('carries 2,000 sends over at most FCM_SESSIONS sessions and 100 streams each', async () => {
    const sut = sutFromConfig({ FCM_SESSIONS: '4' });
    const message = alert();

    const outcomes = (
      await Promise.all(
        Array.from({ length: 4 }, () =>
          sut.send(
            Array.from({ length: 500 }, () => target()),
            message,
          ),
        ),
      )
    ).flat();

    expect(byKind(outcomes)).toEqual({ sent: 2_000 });
    const stats = fake.stats();
    expect(stats.accepted).toBe(2_000);
    expect(stats.sessions).toBeLessThanOrEqual(4);
    expect(stats.maxStreamsInFlight).toBeLessThanOrEqual(100);
    expect(stats.duplicates).toBe(0);
  });

  it("keeps to the peer's SETTINGS_MAX_CONCURRENT_STREAMS when it is lower than ours", async () => {
    const narrow = await FakeFcmServer.start({ projectId: 'bousai-fake', maxConcurrentStreams: 10 });
    const credentialsFile = join(dir, 'narrow.json');
    writeFileSync(credentialsFile, JSON.stringify(narrow.serviceAccount()));
    try {
      const sut = sutFromConfig({
        FCM_BASE_URL: narrow.url,
        FCM_TOKEN_URL: narrow.tokenUrl,
        FCM_CREDENTIALS_FILE: credentialsFile,
        FCM_SESSIONS: '1',
      });

      const outcomes = await sut.send(
        Array.from({ length: 300 }, () => target()),
        alert(),
      );

      expect(byKind(outcomes)).toEqual({ sent: 300 });
      expect(narrow.stats().maxStreamsInFlight).toBeLessThanOrEqual(10);
    } finally {
      await narrow.close();
    }
  });

  it('is provided by FcmChannelModule from the app config, and closes its sessions with the app', async () => {
    const app = await Test.createTestingModule({
      imports: [
        ConfigModule.withValue(loadConfig('fanout', { ...env, FCM_KEEP_WARM_SECONDS: '0' })),
        FcmChannelModule,
      ],
    }).compile();
    await app.init();
    const sut = app.get(FcmChannelAdapter);
    const beforeFirstSend = fake.stats();
    await sut.send([target()], alert());
    const opened = fake.stats().sessions;

    await app.close();
    const [afterClose] = await sut.send([target()], alert());

    // FCM_KEEP_WARM_SECONDS=0: nothing happens before the first alert, which opens what it needs
    expect(beforeFirstSend).toMatchObject({ sessions: 0, tokenRequests: 0 });
    expect(opened).toBe(1);
    expect(afterClose).toMatchObject({ kind: 'retry', errorCode: 'POOL_CLOSED' });
  });

  describe('warm-up', () => {
    it('at boot fetches the access token and connects every session, so the first alert opens nothing', async () => {
      const app = await Test.createTestingModule({
        imports: [ConfigModule.withValue(loadConfig('fanout', env)), FcmChannelModule],
      }).compile();
      await app.init();
      try {
        const sut = app.get(FcmChannelAdapter);
        // the boot's warm-up is under way; asking again joins it rather than starting another
        expect(await sut.warmUp()).toBe(true);
        const warm = fake.stats();

        const outcomes = await sut.send(
          Array.from({ length: 400 }, () => target()),
          alert(),
        );

        expect(warm).toMatchObject({ tokenRequests: 1, sessions: 4, requests: 0 });
        expect(byKind(outcomes)).toEqual({ sent: 400 });
        expect(fake.stats()).toMatchObject({ tokenRequests: 1, sessions: 4, accepted: 400 });
      } finally {
        await app.close();
      }
    });

    it('keeps warm: reopens sessions the peer closed while idle and renews the token before it lapses', async () => {
      const clock = new ManualClock();
      const sut = createFcmChannelAdapter(loadConfig('fanout', { ...env, FCM_SESSIONS: '2' }), clock);
      adapters.push(sut);
      await sut.warmUp();
      fake.closeSessions();
      await until(() => fake.stats().openSessions === 0, 'the peer closed both idle sessions');
      const again = await sut.warmUp();
      const reopened = fake.stats();
      // Google's tokens last an hour; the cache renews five minutes before
      clock.advance(56 * 60_000);
      await sut.warmUp();

      expect(again).toBe(true);
      expect(reopened).toMatchObject({ sessions: 4, openSessions: 2, tokenRequests: 1 });
      expect(fake.stats()).toMatchObject({ sessions: 4, tokenRequests: 2 });
    });

    it('runs every FCM_KEEP_WARM_SECONDS in a running app', async () => {
      const app = await Test.createTestingModule({
        imports: [
          ConfigModule.withValue(
            loadConfig('fanout', { ...env, FCM_SESSIONS: '2', FCM_KEEP_WARM_SECONDS: '1' }),
          ),
          FcmChannelModule,
        ],
      }).compile();
      await app.init();
      try {
        await app.get(FcmChannelAdapter).warmUp();
        fake.closeSessions();

        await until(() => fake.stats().sessions === 4, 'the next keep-warm tick reopened both sessions');
        expect(fake.stats()).toMatchObject({ openSessions: 2, requests: 0 });
      } finally {
        await app.close();
      }
    });

    it('never throws: without an access token it reports that it is not ready', async () => {
      const sut = sutFromConfig({ FCM_TOKEN_URL: `${fake.url}/no-such-endpoint` });

      await expect(sut.warmUp()).resolves.toBe(false);
      expect(fake.stats()).toMatchObject({ sessions: 0, requests: 0 });
    });
  });

  describe('client-side rate limit', () => {
    it('sends no faster than the token bucket allows', async () => {
      const clock = new ManualClock();
      const bucket = new TokenBucket(10, 10, clock);
      const pool = new Http2SessionPool({ baseUrl: fake.url, sessions: 2, maxStreams: 100 });
      const key = fake.serviceAccount();
      const sut = new FcmChannelAdapter({
        projectId: fake.projectId,
        pool,
        tokens: new FcmAccessTokenCache(new ServiceAccountJwtCredential(key, fake.tokenUrl), clock),
        bucket,
        clock,
      });
      adapters.push(sut);

      const sending = sut.send(
        Array.from({ length: 25 }, () => target()),
        alert({ expiresAt: clock.now() + 3_600_000 }),
      );

      // the burst goes at once; the other 15 wait on the bucket's debt, 100 ms apiece at 10/s
      await until(() => fake.stats().requests === 10, '10 requests');
      expect(bucket.available()).toBe(-15);
      expect(clock.sleeping()).toBe(15);
      clock.advance(1_000);
      await until(() => fake.stats().requests === 20, '20 requests');
      expect(clock.sleeping()).toBe(5);
      clock.advance(99);
      expect(clock.sleeping()).toBe(5); // the 21st is due at 1.1 s, not before
      clock.advance(401);
      expect(byKind(await sending)).toEqual({ sent: 25 });
      expect(fake.stats().requests).toBe(25);
    });
  });

  describe('fake FCM in its own process', () => {
    it('receives what the adapter sends and reports it through its control API', async () => {
      const proc = await startFakeFcmProcess();
      try {
        const credentialsFile = join(dir, 'process.json');
        writeFileSync(credentialsFile, JSON.stringify(await proc.serviceAccount()));
        const sut = sutFromConfig({
          FCM_BASE_URL: proc.url,
          FCM_TOKEN_URL: proc.tokenUrl,
          FCM_CREDENTIALS_FILE: credentialsFile,
        });
        const gone = target();
        await proc.setBehaviour(gone.address, { kind: 'unregistered' });
        const message = alert();
        const targets = Array.from({ length: 50 }, () => target());

        const outcomes = await sut.send([...targets, gone], message);
        await sut.send(targets.slice(0, 3), message); // three duplicates

        expect(byKind(outcomes)).toEqual({ sent: 50, failed: 1 });
        expect(await proc.stats()).toMatchObject({
          accepted: 53,
          tokenRequests: 1,
          duplicates: 3,
          distinctTokens: 50,
        });
        await proc.reset();
        expect((await proc.stats()).accepted).toBe(0);
      } finally {
        await proc.stop();
      }
    });
  });
});
