import type { OutgoingMessage } from '../channel-adapter';
import { FcmRequestBodies, buildFcmMessage, pickText, toFcmV1Message } from './fcm-message.builder';

const message: OutgoingMessage = {
  alertId: 'a1',
  severity: 'severe',
  isDrill: false,
  safetyRequest: false,
  texts: { ja: { title: '警報', body: '本文' }, en: { title: 'Warning', body: 'Body' } },
  expiresAt: 2_000_000,
};

describe(pickText.name, () => {
  it("uses the target's language when the alert has it, else the next of its fallback chain", () => {
    expect(pickText(message, 'en')).toEqual({ language: 'en', title: 'Warning', body: 'Body' });
    expect(pickText(message, 'ko')).toEqual({ language: 'en', title: 'Warning', body: 'Body' });
    expect(pickText({ ...message, texts: { ja: message.texts.ja } }, 'ko')).toEqual({
      language: 'ja',
      title: '警報',
      body: '本文',
    });
  });
});

describe(buildFcmMessage.name, () => {
  it('turns the time left into the Android TTL and never below zero', () => {
    expect(buildFcmMessage('t', message, 'ja', 1_000_000).android?.ttl).toBe(1_000_000);
    expect(buildFcmMessage('t', message, 'ja', 3_000_000).android?.ttl).toBe(0);
  });

  it('links a cancellation notice to the alert it cancels and does not send it as critical', () => {
    const notice = buildFcmMessage('t', { ...message, cancelsAlertId: 'a0' }, 'ja', 0);
    expect(notice.data?.cancelsAlertId).toBe('a0');
    expect(notice.apns?.payload?.aps['interruption-level']).toBe('time-sensitive');
  });
});

describe(FcmRequestBodies.name, () => {
  it('splices each token into the per-language body as valid JSON, escaping what needs escaping', () => {
    const sut = new FcmRequestBodies(message, 1_000_000);
    const body = JSON.parse(sut.body('tok"en\\1', 'en')) as {
      message: { token: string; data: { title: string } };
    };
    expect(body.message.token).toBe('tok"en\\1');
    expect(body.message.data.title).toBe('Warning');
    expect(JSON.parse(sut.body('other', 'en'))).toEqual({ message: { ...body.message, token: 'other' } });
  });

  it('leads data with the delivery id and its ack token, exactly as the builder puts them', () => {
    const sut = new FcmRequestBodies(message, 1_000_000, (deliveryId) => `signed-${deliveryId}`);
    const body = JSON.parse(sut.body('tok', 'en', '42')) as { message: { data: Record<string, string> } };
    expect(body).toEqual({
      message: toFcmV1Message(
        buildFcmMessage('tok', message, 'en', 1_000_000, { deliveryId: '42', ackToken: 'signed-42' }),
      ),
    });
    expect(body.message.data).toMatchObject({ deliveryId: '42', ackToken: 'signed-42', alertId: 'a1' });
    // no signer: the delivery id alone
    const plain = JSON.parse(new FcmRequestBodies(message, 1_000_000).body('tok', 'en', '42')) as typeof body;
    expect(plain.message.data.deliveryId).toBe('42');
    expect(plain.message.data).not.toHaveProperty('ackToken');
  });
});

describe(`${buildFcmMessage.name}: size`, () => {
  it('keeps a long alert under the 4 KB FCM allows, cutting the body, never the token or ids', () => {
    const long: OutgoingMessage = {
      ...message,
      texts: { ja: { title: '大雨特別警報', body: '土砂災害や浸水に厳重に警戒してください。'.repeat(60) } },
    };
    const built = toFcmV1Message(
      buildFcmMessage('t'.repeat(160), long, 'ja', 1_000_000, {
        deliveryId: '123456789',
        ackToken: 'x'.repeat(120),
      }),
    );
    const bytes = Buffer.byteLength(JSON.stringify({ message: built }), 'utf8');
    expect(bytes).toBeLessThan(4_096);
    expect(built.data).toMatchObject({ deliveryId: '123456789', alertId: 'a1' });
    expect((built.data as Record<string, string>).body.endsWith('…')).toBe(true);
  });
});
