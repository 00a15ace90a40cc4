import type { DeliveryOutcome } from '../channel-adapter';

/** What nodemailer attaches to a failed send (SMTPConnection's formatted errors). */
export interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

// RFC 3463 enhanced status codes that say the address itself is bad: 5.1.x (bad mailbox, system or syntax) and
// 5.2.1 (mailbox disabled). 5.7.x is policy (relay denied, authentication required): our setup, not the address.
const ADDRESS_ENHANCED = /^5\.(1\.\d{1,3}|2\.1)\b/;
const POLICY_ENHANCED = /^5\.7\.\d{1,3}\b/;
// without an enhanced code: 550 mailbox unavailable, 551 user not local, 553 mailbox name not allowed
const ADDRESS_BASIC = new Set([550, 551, 553]);

function enhancedOf(response: string | undefined): string | undefined {
  return /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1];
}

/**
 * One recipient's send as a delivery outcome (RFC 5321 §4.2.1, RFC 3463):
 * - accepted → sent, with the Message-ID;
 * - a permanent (5xx) refusal of the recipient at RCPT TO that names the address (5.1.x, 5.2.1, or a bare
 *   550/551/553) → failed, address dead: retrying gets the same answer and the resident must register again;
 * - any other 5xx (policy 5.7.x, sender refused at MAIL FROM, content refused after DATA) → failed, the address is
 *   kept: a misconfigured relay must not mark every resident's address dead;
 * - 4xx, a refused login, and every error without a reply (connection refused or lost, timeout, TLS) → retry.
 */
export function classifySmtpResult(
  deliveryId: string,
  result: { accepted: boolean; messageId?: string } | { error: SmtpError },
): DeliveryOutcome {
  if ('accepted' in result) {
    if (result.accepted)
      return {
        deliveryId,
        kind: 'sent',
        ...(result.messageId ? { providerMessageId: result.messageId } : {}),
      };
    return { deliveryId, kind: 'retry', errorCode: 'SMTP_NOT_ACCEPTED' };
  }
  const { code, responseCode, response, command } = result.error;
  // a refused login (535) is the setup's fault and is fixed by an operator, never by the recipient
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return { deliveryId, kind: 'retry', errorCode: responseCode ? `SMTP_${responseCode}` : code };
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
    const enhanced = enhancedOf(response);
    const errorCode = `SMTP_${responseCode}${enhanced ? `_${enhanced}` : ''}`;
    // 503 is "bad sequence of commands": the session, not the message (nodemailer's isPermanentResponseCode too)
    if (responseCode === 503) return { deliveryId, kind: 'retry', errorCode };
    const blamesAddress =
      command === 'RCPT TO' &&
      (enhanced
        ? ADDRESS_ENHANCED.test(enhanced) && !POLICY_ENHANCED.test(enhanced)
        : ADDRESS_BASIC.has(responseCode));
    return { deliveryId, kind: 'failed', errorCode, endpointDead: blamesAddress };
  }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500)
    return { deliveryId, kind: 'retry', errorCode: `SMTP_${responseCode}` };
  return { deliveryId, kind: 'retry', errorCode: code ?? 'SMTP_ERROR' };
}

/** The reply fields nodemailer puts on its errors; anything else thrown counts as an error without a reply. */
export function smtpErrorOf(err: unknown): SmtpError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  return {
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    ...(typeof e.response === 'string' ? { response: e.response } : {}),
    ...(typeof e.command === 'string' ? { command: e.command } : {}),
  };
}
