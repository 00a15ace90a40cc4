import { Channel, FCM_BODY_MAX_BYTES, LINE_TEXT_MAX } from '@bousai/domain';
import type { OutgoingMessage } from './channel-adapter';
import { previewChannelText } from './channel-preview';
import { MAX_PUSH_PLAINTEXT } from './webpush/push-encryption';

function message(body: string, o: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    alertId: '0190f0c2-7c3a-7d4e-8f90-123456789abc',
    severity: 'extreme',
    isDrill: false,
    safetyRequest: false,
    texts: { ja: { title: '避難指示', body }, en: { title: 'Evacuate', body: 'Evacuate now.' } },
    expiresAt: Date.now() + 3_600_000,
    ...o,
  };
}

describe(previewChannelText.name, () => {
  it('shows each channel’s own cut of a long body, with its limit', () => {
    const m = message('あ'.repeat(6_000));
    const fcm = previewChannelText(Channel.Fcm, m, 'ja');
    expect(fcm.shortened).toBe(true);
    expect(Buffer.byteLength(fcm.body)).toBeLessThanOrEqual(FCM_BODY_MAX_BYTES);
    const webpush = previewChannelText(Channel.WebPush, m, 'ja');
    expect(webpush).toMatchObject({
      shortened: true,
      limit: { max: MAX_PUSH_PLAINTEXT, applies: 'payload' },
    });
    expect(webpush.body.endsWith('…')).toBe(true);
    const line = previewChannelText(Channel.Line, m, 'ja');
    expect(line).toMatchObject({
      title: '避難指示',
      shortened: true,
      limit: { kind: 'hard', max: LINE_TEXT_MAX },
    });
    expect(`${line.title}\n\n${line.body}`).toHaveLength(LINE_TEXT_MAX);
    for (const channel of [Channel.Receiver, Channel.Email]) {
      expect(previewChannelText(channel, m, 'ja')).toMatchObject({ shortened: false, limit: null });
    }
  });

  it('renders the reader’s language with its fallback, and marks a drill', () => {
    const m = message('直ちに避難してください。', { isDrill: true });
    expect(previewChannelText(Channel.Receiver, m, 'ko')).toMatchObject({
      language: 'ko',
      rendered: 'en',
      title: '[DRILL] Evacuate',
      shortened: false,
    });
    expect(previewChannelText(Channel.Email, m, 'ja').title).toBe('【訓練】避難指示');
  });
});
