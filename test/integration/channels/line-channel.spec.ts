import { randomBytes } from 'node:crypto';
import { type DeliveryTarget, type OutgoingMessage, TokenBucket } from '@bousai/channels';
import { LineApiClient, LineChannelAdapter } from '@bousai/channels/senders';
import { FakeLineServer } from '@bousai/testing';

const TOKEN = 'line-channel-access-token-for-tests';

function userId(): string {
  return `U${randomBytes(16).toString('hex')}`;
}

function targets(n: number, language = 'ja'): DeliveryTarget[] {
  return Array.from({ length: n }, (_, i) => ({
    deliveryId: `d-${language}-${i}`,
    endpointId: `e-${language}-${i}`,
    address: userId(),
    language,
  }));
}

const message: OutgoingMessage = {
  alertId: '4b0d4c1e-2f3a-4c5d-8e9f-0a1b2c3d4e5f',
  severity: 'warning',
  isDrill: false,
  safetyRequest: false,
  texts: {
    ja: { title: '避難指示', body: '荒島地区に避難指示を発令しました。' },
    en: { title: 'Evacuation order', body: 'An evacuation order has been issued for Arashima.' },
  },
  expiresAt: Date.now() + 3_600_000,
};

describe(`${LineChannelAdapter.name} against a LINE Messaging API fake`, () => {
  let line: FakeLineServer;
  let sut: LineChannelAdapter;

  beforeEach(async () => {
    line = await FakeLineServer.start({ channelAccessToken: TOKEN });
    sut = new LineChannelAdapter({
      client: new LineApiClient({ baseUrl: line.url, channelAccessToken: TOKEN, requestTimeoutMs: 5_000 }),
      bucket: new TokenBucket(1_000, 100),
    });
  });
  afterEach(() => line.close());

  it('multicasts one request per language, each user receiving the text in their language once', async () => {
    const ja = targets(300);
    const en = targets(40, 'en');
    const vi = targets(5, 'vi'); // no Vietnamese text: English
    const outcomes = await sut.send([...ja, ...en, ...vi], message);

    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    expect(outcomes).toHaveLength(345);
    expect(line.requests.map((r) => [r.endpoint, r.status, r.to]).sort()).toEqual(
      [
        ['multicast', 200, 300],
        ['multicast', 200, 45],
      ].sort(),
    );
    const byUser = new Map(line.received.map((r) => [r.userId, r.text]));
    expect(byUser.size).toBe(345);
    for (const t of ja) expect(byUser.get(t.address)).toBe('避難指示\n\n荒島地区に避難指示を発令しました。');
    for (const t of [...en, ...vi]) expect(byUser.get(t.address)).toMatch(/^Evacuation order\n\n/);
  });

  it('marks the users LINE names in a 400 dead and leaves the rest of the request to be retried', async () => {
    const group = targets(6);
    line.unknown(group[1].address, group[4].address);
    const outcomes = await sut.send(group, message);

    expect(outcomes.filter((o) => o.kind === 'failed').map((o) => o.deliveryId)).toEqual([
      group[1].deliveryId,
      group[4].deliveryId,
    ]);
    expect(
      outcomes.filter((o) => o.kind === 'failed').every((o) => o.kind === 'failed' && o.endpointDead),
    ).toBe(true);
    expect(outcomes.filter((o) => o.kind === 'retry')).toHaveLength(4);
    expect(line.received).toHaveLength(0);

    const again = await sut.send(
      group.filter((_, i) => i !== 1 && i !== 4),
      message,
    );
    expect(again.every((o) => o.kind === 'sent')).toBe(true);
    expect(line.received).toHaveLength(4);
  });

  it('answers 429 with Retry-After and 5xx as retries, and a spent monthly allowance as a failure', async () => {
    line.fail({ kind: 'rate-limit', times: 1, retryAfterSeconds: 7 });
    const limited = await sut.send(targets(3), message);
    expect(limited.map((o) => (o.kind === 'retry' ? [o.errorCode, o.retryAfterMs] : o.kind))).toEqual([
      ['LINE_RATE_LIMITED', 7_000],
      ['LINE_RATE_LIMITED', 7_000],
      ['LINE_RATE_LIMITED', 7_000],
    ]);

    line.fail({ kind: 'server-error', times: 1, status: 503 });
    const unavailable = await sut.send(targets(2), message);
    expect(unavailable.map((o) => o.kind === 'retry' && o.errorCode)).toEqual([
      'LINE_HTTP_503',
      'LINE_HTTP_503',
    ]);

    line.fail({ kind: 'monthly-limit', times: 1 });
    const spent = await sut.send(targets(2), message);
    expect(spent.map((o) => o.kind === 'failed' && !o.endpointDead && o.errorCode)).toEqual([
      'LINE_MONTHLY_LIMIT',
      'LINE_MONTHLY_LIMIT',
    ]);
    expect(line.received).toHaveLength(0);
  });

  it('a retry of a request LINE already accepted is answered 409 and reaches nobody twice', async () => {
    const group = targets(4);
    expect((await sut.send(group, message)).every((o) => o.kind === 'sent')).toBe(true);
    // the worker crashed before recording the outcome; the same batch goes again
    const again = await sut.send(group, message);
    expect(again.every((o) => o.kind === 'sent')).toBe(true);
    expect(line.requests.map((r) => r.status)).toEqual([200, 409]);
    expect(line.received).toHaveLength(4);
  });

  it('a wrong channel access token is a retry, so deliveries wait for the configuration to be fixed', async () => {
    const wrong = new LineChannelAdapter({
      client: new LineApiClient({
        baseUrl: line.url,
        channelAccessToken: 'revoked',
        requestTimeoutMs: 5_000,
      }),
      bucket: new TokenBucket(1_000, 100),
    });
    const outcomes = await wrong.send(targets(2), message);
    expect(outcomes.map((o) => o.kind === 'retry' && o.errorCode)).toEqual([
      'LINE_UNAUTHORIZED',
      'LINE_UNAUTHORIZED',
    ]);
  });

  it('an unreachable API is a retry for every target', async () => {
    await line.close();
    const outcomes = await sut.send(targets(2), message);
    expect(outcomes.map((o) => o.kind === 'retry' && o.errorCode)).toEqual([
      'LINE_UNREACHABLE',
      'LINE_UNREACHABLE',
    ]);
  });
});
