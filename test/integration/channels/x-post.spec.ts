import { composeXPost } from '@bousai/channels';
import { XApiClient } from '@bousai/channels/senders';
import { FakeXServer } from '@bousai/testing';

const credentials = {
  apiKey: 'xvz1evFS4wEEPTGEFPHBog',
  apiSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  accessToken: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  accessSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};

describe(`${XApiClient.name} against an X API v2 fake`, () => {
  let x: FakeXServer;
  let sut: XApiClient;

  beforeEach(async () => {
    x = await FakeXServer.start(credentials);
    sut = new XApiClient({ baseUrl: x.url, credentials, requestTimeoutMs: 5_000 });
  });
  afterEach(() => x.close());

  it('posts as the account with a valid OAuth 1.0a signature, a long alert shortened to fit with its link', async () => {
    const link = 'https://bousai.example.jp/alerts/4b0d4c1e-2f3a-4c5d-8e9f-0a1b2c3d4e5f';
    const text = composeXPost('【警戒レベル4】避難指示', '土砂災害の危険が高まっています。'.repeat(12), link);
    const result = await sut.post(text);

    expect(result).toEqual({ kind: 'posted', id: x.posts[0].id });
    expect(x.posts.map((p) => p.text)).toEqual([text]);
  });

  it('is refused by the fake when signed with the wrong secret', async () => {
    const wrong = new XApiClient({
      baseUrl: x.url,
      credentials: { ...credentials, accessSecret: 'not-the-secret' },
      requestTimeoutMs: 5_000,
    });
    expect(await wrong.post('テスト')).toEqual({
      kind: 'failed',
      errorCode: 'X_HTTP_401',
      detail: expect.stringMatching(/signature/),
    });
    expect(x.posts).toHaveLength(0);
  });

  it('treats a duplicate of a recent post as already posted', async () => {
    expect((await sut.post('避難所を開設しました')).kind).toBe('posted');
    expect(await sut.post('避難所を開設しました')).toEqual({ kind: 'duplicate' });
    expect(x.posts).toHaveLength(1);
  });

  it('waits for the rate-limit window X names, and retries a 503', async () => {
    x.fail({ kind: 'rate-limit', times: 1, resetInSeconds: 60 });
    const now = Date.now();
    const limited = await sut.post('避難指示', now);
    expect(limited.kind).toBe('retry');
    expect(limited.kind === 'retry' && limited.errorCode).toBe('X_RATE_LIMITED');
    expect(limited.kind === 'retry' && limited.retryAfterMs).toBeGreaterThanOrEqual(59_000);

    x.fail({ kind: 'server-error', times: 1 });
    expect(await sut.post('避難指示')).toEqual({ kind: 'retry', errorCode: 'X_HTTP_503' });
    expect((await sut.post('避難指示')).kind).toBe('posted');
  });
});
