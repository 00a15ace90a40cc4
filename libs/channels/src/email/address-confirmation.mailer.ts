import type { Transporter } from 'nodemailer';
import { escapeHtml } from '@bousai/domain';
import type { DeliveryOutcome } from '../channel-adapter';
import { createSmtpTransport, type EmailSettings } from './email-channel.factory';
import { classifySmtpResult, smtpErrorOf } from './smtp-result.classifier';

const TEXTS = {
  ja: {
    subject: '【防災情報】メールアドレスの確認',
    intro: '防災情報メールの配信先としてこのアドレスが登録されました。下のリンクを開くと登録が完了します。',
    ignore: '心当たりがない場合は、このメールを破棄してください。リンクを開かない限り配信されません。',
    button: '登録を完了する',
  },
  en: {
    subject: 'Confirm your email address for disaster alerts',
    intro:
      'This address was registered to receive disaster alerts. Open the link below to complete the registration.',
    ignore:
      'If this was not you, ignore this message: nothing is sent to this address unless the link is opened.',
    button: 'Complete registration',
  },
};

/** The confirmation mail: one link, in Japanese or English, plain text and minimal HTML. */
export function renderConfirmationEmail(confirmUrl: string, language: string) {
  const t = language === 'ja' || language === 'ja-easy' ? TEXTS.ja : TEXTS.en;
  const text = `${t.intro}\n\n${confirmUrl}\n\n${t.ignore}\n`;
  const html =
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(t.subject)}</title></head>\n<body>\n` +
    `<p>${escapeHtml(t.intro)}</p>\n<p><a href="${escapeHtml(confirmUrl)}">${escapeHtml(t.button)}</a></p>\n` +
    `<p><small>${escapeHtml(t.ignore)}</small></p>\n</body></html>\n`;
  return { subject: t.subject, text, html };
}

/**
 * Sends the address confirmation a resident triggers by registering an email endpoint: the planner mails only
 * confirmed addresses, so an address typed wrongly (or someone else's) never receives alerts. The fanout sends it
 * (job `email.confirm`); the link carries a one-tap token (`OneTapPurpose.ConfirmEmail`, signed with
 * `ONE_TAP_SECRET`), and what it confirms is the api's business. The outcome is classified like an alert mail (a
 * 5.1.1 means the address does not exist).
 */
export class AddressConfirmationMailer {
  constructor(
    private readonly transport: Transporter,
    private readonly from: string,
  ) {}

  /** A mailer on its own pooled SMTP transport from configuration; it connects on the first mail. */
  static fromSettings(settings: EmailSettings): AddressConfirmationMailer {
    return new AddressConfirmationMailer(createSmtpTransport(settings), settings.SMTP_FROM);
  }

  async send(to: string, confirmUrl: string, language: string, ref: string): Promise<DeliveryOutcome> {
    const mail = renderConfirmationEmail(confirmUrl, language);
    try {
      const info = (await this.transport.sendMail({
        from: this.from,
        to,
        ...mail,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      })) as { accepted?: unknown[]; messageId?: string };
      const accepted = (info.accepted ?? []).some(
        (a) => typeof a === 'string' && a.toLowerCase() === to.toLowerCase(),
      );
      return classifySmtpResult(ref, { accepted, ...(info.messageId ? { messageId: info.messageId } : {}) });
    } catch (err) {
      return classifySmtpResult(ref, { error: smtpErrorOf(err) });
    }
  }

  close(): void {
    this.transport.close();
  }

  /** Nest closes the pool on shutdown. */
  onModuleDestroy(): void {
    this.close();
  }
}
