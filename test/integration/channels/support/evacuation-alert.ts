import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@bousai/channels';
import { Severity } from '@bousai/domain';

/** An extreme evacuation order in Japanese and English, asking for safety confirmation, valid for an hour. */
export function evacuationAlert(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    alertId: randomUUID(),
    severity: Severity.Extreme,
    isDrill: false,
    safetyRequest: true,
    texts: {
      ja: { title: '避難指示', body: '中央地区に避難指示を発令しました。直ちに避難してください。' },
      en: { title: 'Evacuation order', body: 'An evacuation order has been issued for Chuo. Evacuate now.' },
    },
    expiresAt: Date.now() + 3_600_000,
    ...overrides,
  };
}
