import { createTransport, type Transporter } from 'nodemailer';
import type { FanoutConfig } from '@bousai/config';
import { systemClock, type Clock } from '../fcm/clock';
import { EmailChannelAdapter } from './email-channel.adapter';

export type EmailSettings = Pick<
  FanoutConfig,
  | 'SMTP_HOST'
  | 'SMTP_PORT'
  | 'SMTP_SECURE'
  | 'SMTP_USER'
  | 'SMTP_PASS'
  | 'SMTP_FROM'
  | 'SMTP_POOL_MAX'
  | 'SMTP_MAX_MESSAGES'
  | 'SMTP_TIMEOUT_MS'
  | 'SMTP_TLS_INSECURE'
> &
  Partial<Pick<FanoutConfig, 'ONE_TAP_SECRET' | 'PUBLIC_BASE_URL'>>;

/** The domain of `Name <local@domain>` or `local@domain`, for our Message-IDs. */
export function messageIdDomainOf(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'bousai.localhost';
}

/**
 * One pooled SMTP transport from configuration (SMTP_POOL_MAX connections, each recycled after SMTP_MAX_MESSAGES),
 * implicit TLS when SMTP_SECURE, otherwise STARTTLS whenever the server offers it.
 */
export function createSmtpTransport(settings: EmailSettings): Transporter {
  return createTransport({
    pool: true,
    host: settings.SMTP_HOST,
    port: settings.SMTP_PORT,
    secure: settings.SMTP_SECURE,
    ...(settings.SMTP_USER ? { auth: { user: settings.SMTP_USER, pass: settings.SMTP_PASS ?? '' } } : {}),
    maxConnections: settings.SMTP_POOL_MAX,
    maxMessages: settings.SMTP_MAX_MESSAGES,
    connectionTimeout: settings.SMTP_TIMEOUT_MS,
    greetingTimeout: settings.SMTP_TIMEOUT_MS,
    socketTimeout: settings.SMTP_TIMEOUT_MS,
    ...(settings.SMTP_TLS_INSECURE ? { tls: { rejectUnauthorized: false } } : {}),
  });
}

/**
 * Wires the alert sender from configuration, on its own pooled transport. With ONE_TAP_SECRET and PUBLIC_BASE_URL
 * its safety-request mails carry each resident's one-tap answer links.
 */
export function createEmailChannelAdapter(
  settings: EmailSettings,
  clock: Clock = systemClock,
): EmailChannelAdapter {
  return new EmailChannelAdapter({
    transport: createSmtpTransport(settings),
    from: settings.SMTP_FROM,
    messageIdDomain: messageIdDomainOf(settings.SMTP_FROM),
    clock,
    ...(settings.ONE_TAP_SECRET && settings.PUBLIC_BASE_URL
      ? { safetyLinks: { secret: settings.ONE_TAP_SECRET, baseUrl: settings.PUBLIC_BASE_URL } }
      : {}),
  });
}
