import type { OnModuleDestroy } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { Channel, needsAsking, OneTapPurpose, oneTapUrl, SAFETY_LINK_TTL_MS } from '@bousai/domain';
import {
  type ChannelAdapter,
  type DeliveryOutcome,
  type DeliveryTarget,
  type OutgoingMessage,
  refuseUnsendable,
} from '../channel-adapter';
import { systemClock, type Clock } from '../fcm/clock';
import { EMAILED_SAFETY_ANSWERS, renderAlertEmail, type SafetyAnswerLink } from './alert-email.renderer';
import { classifySmtpResult, smtpErrorOf } from './smtp-result.classifier';

export interface EmailChannelAdapterDeps {
  /** A pooled SMTP transport (nodemailer `pool: true`): its connections carry every send of the process. */
  transport: Transporter;
  /** Header and envelope sender. */
  from: string;
  /** Right-hand side of our Message-IDs. */
  messageIdDomain: string;
  clock?: Clock;
  /**
   * Signs one-tap safety answer links (`<baseUrl>/v1/safety/answer?token=…`) into the mails of safety-request
   * alerts, one set per resident; absent: such mails carry no links (the app and the PWA still answer).
   */
  safetyLinks?: { secret: string; baseUrl: string };
}

/**
 * Email through a pooled SMTP transport: one message per recipient (each will carry its own signed one-tap
 * links), text and HTML, a Message-ID derived from the delivery so a resend after a crash is recognisably the
 * same mail. The pool bounds the connections; every send of a batch is handed to it at once and it queues them.
 * Per-recipient refusals become outcomes (see `classifySmtpResult`); nothing here throws for one bad address.
 */
export class EmailChannelAdapter implements ChannelAdapter, OnModuleDestroy {
  readonly channel = Channel.Email;

  constructor(private readonly deps: EmailChannelAdapterDeps) {}

  async send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]> {
    const clock = this.deps.clock ?? systemClock;
    const refused = refuseUnsendable(targets, message, clock.now());
    if (refused) return refused;
    return Promise.all(targets.map((t) => this.sendOne(t, message)));
  }

  onModuleDestroy(): void {
    this.deps.transport.close();
  }

  /**
   * The resident's own signed answer links, when the alert asks them to confirm their safety and they have not
   * answered yet (a correction does not ask again those who answered what it corrects).
   */
  private answerLinks(target: DeliveryTarget, message: OutgoingMessage): SafetyAnswerLink[] {
    const links = this.deps.safetyLinks;
    const residentId = target.residentId;
    if (!links || !message.safetyRequest || message.cancelsAlertId || !residentId) return [];
    if (!needsAsking(target.safetyStatus)) return [];
    const expiresAt = (this.deps.clock ?? systemClock).now() + SAFETY_LINK_TTL_MS;
    return EMAILED_SAFETY_ANSWERS.map((status) => ({
      status,
      url: oneTapUrl(
        links.baseUrl,
        '/v1/safety/answer',
        {
          purpose: OneTapPurpose.SafetyAnswer,
          residentId,
          alertId: message.alertId,
          answer: status,
          expiresAt,
        },
        links.secret,
      ),
    }));
  }

  private async sendOne(target: DeliveryTarget, message: OutgoingMessage): Promise<DeliveryOutcome> {
    const { deliveryId } = target;
    const mail = renderAlertEmail(message, deliveryId, target.language, this.answerLinks(target, message));
    try {
      const info = (await this.deps.transport.sendMail({
        from: this.deps.from,
        to: target.address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: `<${deliveryId}.${message.alertId}@${this.deps.messageIdDomain}>`,
      })) as { accepted?: unknown[]; messageId?: string };
      const accepted = (info.accepted ?? []).some(
        (a) => typeof a === 'string' && a.toLowerCase() === target.address.toLowerCase(),
      );
      return classifySmtpResult(deliveryId, {
        accepted,
        ...(info.messageId ? { messageId: info.messageId } : {}),
      });
    } catch (err) {
      return classifySmtpResult(deliveryId, { error: smtpErrorOf(err) });
    }
  }
}
