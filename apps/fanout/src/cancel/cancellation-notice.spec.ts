import { AlertStatus, Severity } from '@bousai/domain';
import type { FanoutAlert } from '@bousai/persistence';
import { cancellationNotice } from './cancellation-notice';

const original = (overrides: Partial<FanoutAlert> = {}): FanoutAlert => ({
  id: '3f0c2a9e-1b2c-4d5e-8f90-123456789abc',
  municipalityId: '9a0c2a9e-1b2c-4d5e-8f90-123456789abc',
  status: AlertStatus.Cancelled,
  source: 'jma',
  severity: Severity.Extreme,
  texts: {
    ja: { title: '避難指示', body: '避難してください。' },
    en: { title: 'Evacuation order', body: 'Evacuate.' },
    ko: { title: '대피 지시', body: '대피하십시오.' },
  },
  targeting: { all: true },
  channels: ['receiver', 'fcm'],
  isDrill: false,
  safetyRequest: true,
  expiresAt: new Date('2030-01-01T03:00:00Z'),
  cancelledBy: '7a0c2a9e-1b2c-4d5e-8f90-123456789abc',
  createdAt: new Date('2030-01-01T00:00:00Z'),
  planned: { receiver: 1, fcm: 2 },
  queuedHint: 0,
  municipalitySettings: {},
  ...overrides,
});

describe(cancellationNotice.name, () => {
  const now = new Date('2030-01-01T01:00:00Z');

  it('withdraws the original to the same channels, in its languages, idempotently', () => {
    const notice = cancellationNotice(original(), now);
    expect(notice).toEqual({
      municipalityId: original().municipalityId,
      source: 'jma',
      templateKey: 'cancellation_notice',
      texts: {
        ja: { title: '【取消】避難指示', body: '先ほどお知らせした「避難指示」は取り消されました。' },
        en: {
          title: '[Cancelled] Evacuation order',
          body: 'The earlier alert "Evacuation order" has been cancelled.',
        },
        ko: { title: '[Cancelled] 대피 지시', body: 'The earlier alert "대피 지시" has been cancelled.' },
      },
      severity: Severity.Extreme,
      targeting: { cancellationOf: original().id },
      channels: ['receiver', 'fcm'],
      isDrill: false,
      createdBy: original().cancelledBy,
      idempotencyKey: `fanout-cancellation-notice-${original().id}`,
      expiresAt: new Date('2030-01-01T03:00:00Z'),
    });
  });

  it('marks a drill notice once, and outlives an original that expires soon', () => {
    const notice = cancellationNotice(
      original({
        isDrill: true,
        texts: { ja: { title: '【訓練】避難指示', body: '【訓練】避難してください。' } },
        expiresAt: new Date('2030-01-01T01:10:00Z'),
      }),
      now,
    );
    expect(notice.texts.ja).toEqual({
      title: '【訓練】【取消】避難指示',
      body: '【訓練】先ほどお知らせした「避難指示」は取り消されました。',
    });
    expect(notice.expiresAt).toEqual(new Date('2030-01-01T02:00:00Z'));
  });
});
