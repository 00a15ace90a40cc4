import { escapeHtml, renderAlertText, SAFETY_ANSWER_LABELS, SafetyStatus } from '@bousai/domain';
import type { OutgoingMessage } from '../channel-adapter';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** Extra headers: what kind of mail this is, for filters and for our own tracing. */
  headers: Record<string, string>;
}

const FOOTER = {
  ja: 'このメールは防災情報の配信登録に基づき自動送信しています。返信はできません。',
  en: 'This message was sent automatically because you registered for disaster alerts. Replies are not read.',
};

/** A signed one-tap link that answers the alert's safety confirmation (安否確認) with `status`. */
export interface SafetyAnswerLink {
  status: SafetyStatus;
  url: string;
}

/** The answers a mail offers, in this order (any other answer, with a note, is for the app or the PWA). */
export const EMAILED_SAFETY_ANSWERS = [
  SafetyStatus.Safe,
  SafetyStatus.NeedHelp,
  SafetyStatus.Injured,
] as const;

const ANSWERS_INTRO = {
  ja: '安否確認：あてはまるものを一つ選んでリンクを開いてください（ログイン不要）。',
  en: 'Safety check: open the one link that fits (no login needed).',
};

/**
 * The alert as a plain text part and a minimal HTML part (everything escaped: alert texts come from operators
 * and from JMA telegrams, never trusted as markup), in the recipient's best language (`renderAlertText`).
 * A safety-request alert may carry the recipient's own one-tap answer links (plain URLs in the text part, so a
 * basic phone's mail client can open them). `Auto-Submitted` (RFC 3834) keeps autoresponders from answering;
 * the alert and delivery ids let a bounce or a complaint be traced to one delivery.
 */
export function renderAlertEmail(
  message: OutgoingMessage,
  deliveryId: string,
  language: string,
  answerLinks: readonly SafetyAnswerLink[] = [],
): RenderedEmail {
  const {
    language: lang,
    title,
    body,
  } = renderAlertText(message.texts, language, { isDrill: message.isDrill });
  const labels = lang === 'ja' || lang === 'ja-easy' ? 'ja' : 'en';
  // a cancellation notice's own texts carry its 取消 marker (cancellationNoticeTexts); the drill marker comes from
  // the shared rendering (never unmarked)
  const subject = title.replace(/[\r\n]+/g, ' ');
  const severe = message.severity === 'extreme' || message.severity === 'severe';
  const answers = answerLinks.length
    ? `${ANSWERS_INTRO[labels]}\n\n${answerLinks.map((l) => `${SAFETY_ANSWER_LABELS[labels][l.status]}:\n${l.url}`).join('\n\n')}\n\n`
    : '';
  const text = `${subject}\n\n${body}\n\n${answers}--\n${FOOTER[labels]}\n`;
  const answersHtml = answerLinks.length
    ? `<p>${escapeHtml(ANSWERS_INTRO[labels])}</p>\n<ul>\n${answerLinks
        .map(
          (l) =>
            `<li><a href="${escapeHtml(l.url)}">${escapeHtml(SAFETY_ANSWER_LABELS[labels][l.status])}</a></li>`,
        )
        .join('\n')}\n</ul>\n`
    : '';
  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html =
    `<!doctype html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body>\n<h1${severe ? ' style="color:#b00020"' : ''}>${escapeHtml(subject)}</h1>\n${paragraphs}\n${answersHtml}` +
    `<hr><p><small>${escapeHtml(FOOTER[labels])}</small></p>\n</body></html>\n`;
  return {
    subject,
    text,
    html,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Bousai-Alert-Id': message.alertId,
      'X-Bousai-Delivery-Id': deliveryId,
      ...(severe ? { Importance: 'high', 'X-Priority': '1' } : {}),
    },
  };
}
