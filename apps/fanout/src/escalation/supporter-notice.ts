import type { OutgoingMessage } from '@bousai/channels';
import {
  EscalationOutcome,
  OneTapPurpose,
  oneTapUrl,
  SUPPORTER_LINK_TTL_MS,
  supporterCheckAnswer,
} from '@bousai/domain';
import type { EscalationCandidate, SupporterTask } from '@bousai/persistence';

const LABELS = {
  ja: {
    title: '安否確認のお願い',
    intro: (name: string, priority: number) =>
      `${name} さんから安否確認の応答がありません。様子を確認し、結果を下のリンクから一つ選んでください（第${priority}支援者）。`,
    [EscalationOutcome.Safe]: '無事を確認した',
    [EscalationOutcome.NeedsHelp]: '支援が必要',
    [EscalationOutcome.NotHome]: '不在だった',
  },
  en: {
    title: 'Please check on someone you support',
    intro: (name: string, priority: number) =>
      `${name} has not answered the safety check. Please check on them and choose what you found (supporter #${priority}).`,
    [EscalationOutcome.Safe]: 'Checked: safe',
    [EscalationOutcome.NeedsHelp]: 'Needs help',
    [EscalationOutcome.NotHome]: 'Not at home',
  },
} as const;

const OUTCOMES = [EscalationOutcome.Safe, EscalationOutcome.NeedsHelp, EscalationOutcome.NotHome] as const;

/**
 * The mail a supporter gets at T2: who to check on and one signed link per outcome (single purpose, bound to the
 * task and the outcome, expiring), plain text so a basic phone's mail client can open them.
 */
export function supporterNotice(
  alert: EscalationCandidate,
  task: SupporterTask,
  opts: { secret: string; baseUrl: string; now: number },
): OutgoingMessage {
  const expiresAt = opts.now + SUPPORTER_LINK_TTL_MS;
  const link = (outcome: EscalationOutcome) =>
    oneTapUrl(
      opts.baseUrl,
      '/v1/safety/supporter-check',
      {
        purpose: OneTapPurpose.SupporterCheck,
        residentId: task.residentId,
        alertId: alert.id,
        answer: supporterCheckAnswer(task.taskId, outcome),
        expiresAt,
      },
      opts.secret,
    );
  const text = (lang: 'ja' | 'en') => ({
    title: LABELS[lang].title,
    body: [
      LABELS[lang].intro(task.residentName, task.priority),
      ...OUTCOMES.map((o) => `${LABELS[lang][o]}:\n${link(o)}`),
    ].join('\n\n'),
  });
  return {
    alertId: alert.id,
    severity: alert.severity,
    isDrill: alert.isDrill,
    safetyRequest: false,
    texts: { ja: text('ja'), en: text('en') },
    expiresAt,
  };
}
