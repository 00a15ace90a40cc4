import { verifyDeliveryAckToken } from '@bousai/domain';
import type { OutgoingMessage } from '../channel-adapter';
import { MAX_PUSH_PLAINTEXT } from './push-encryption';
import { WebPushPayloads, type WebPushPayload } from './webpush-payload';

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    alertId: 'a-1',
    severity: 'extreme',
    isDrill: false,
    safetyRequest: false,
    texts: {
      ja: { title: '避難指示', body: '直ちに避難してください。' },
      en: { title: 'Evacuate', body: 'Now.' },
    },
    expiresAt: 1_795_600_000_000,
    ...overrides,
  };
}

const parse = (json: string) => JSON.parse(json) as WebPushPayload;

describe(WebPushPayloads.name, () => {
  it('renders the target language, falling back for an unknown one', () => {
    const sut = new WebPushPayloads(message());
    expect(parse(sut.render('1', 'en')).title).toBe('Evacuate');
    expect(parse(sut.render('1', 'ja')).title).toBe('避難指示');
    expect(parse(sut.render('1', 'vi')).title).toBe('Evacuate');
  });

  it('asks residents for a safety answer, never a visitor subscription', () => {
    const sut = new WebPushPayloads(message({ safetyRequest: true }));
    expect(parse(sut.render('1', 'ja')).safetyRequest).toBe(true);
    expect(parse(sut.render('1', 'ja', true)).safetyRequest).toBe(false);
  });

  it('marks a drill and names a cancelled alert', () => {
    const drill = parse(new WebPushPayloads(message({ isDrill: true })).render('1', 'ja'));
    expect(drill.title.startsWith('【訓練】')).toBe(true);
    expect(drill.isDrill).toBe(true);
    expect(
      parse(new WebPushPayloads(message({ cancelsAlertId: 'a-0' })).render('1', 'ja')).cancelsAlertId,
    ).toBe('a-0');
  });

  it('names the ack endpoint and signs a token per delivery only when configured', () => {
    const bare = parse(new WebPushPayloads(message()).render('7', 'ja'));
    expect(bare.ackUrl).toBeUndefined();
    expect(bare.ackToken).toBeUndefined();
    const secret = 'unit-ack-secret-0123456789abcdefghij';
    const sut = new WebPushPayloads(message(), {
      url: 'https://x.example/v1/acks/signed',
      secret,
      tokenExpiresAt: 1_795_600_000_000,
    });
    const got = parse(sut.render('7', 'ja'));
    expect(got.ackUrl).toBe('https://x.example/v1/acks/signed');
    expect(verifyDeliveryAckToken(got.ackToken!, secret, 1_795_500_000_000)).toEqual({
      deliveryId: '7',
      expiresAt: 1_795_600_000_000,
    });
  });

  it.each([
    ['Japanese', '警戒レベル４、危険な場所から全員避難。'],
    ['ASCII', 'Evacuate to higher ground now. '],
    ['emoji and escapes', '⚠️ "高台" へ\n避難\t🏃'],
  ])('shortens a %s body to fit one push message, on a character boundary', (_name, unit) => {
    const body = unit.repeat(600);
    const json = new WebPushPayloads(message({ texts: { ja: { title: '土砂災害', body } } })).render(
      '1',
      'ja',
    );
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_PUSH_PLAINTEXT);
    const got = parse(json);
    expect(got.title).toBe('土砂災害');
    expect(got.body.endsWith('…')).toBe(true);
    expect(body.startsWith(got.body.slice(0, -1))).toBe(true);
    // nothing wasted: one more character would not have fitted
    expect(Buffer.byteLength(json)).toBeGreaterThan(MAX_PUSH_PLAINTEXT - 20);
  });
});
