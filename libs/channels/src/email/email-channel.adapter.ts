import type { OnModuleDestroy } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { Channel } from '@bousai/domain';
import {
  type ChannelAdapter,
  type DeliveryOutcome,
  type DeliveryTarget,
  type OutgoingMessage,
  refuseUnsendable,
} from '../channel-adapter';
import { systemClock, type Clock } from '../fcm/clock';
import { renderAlertEmail } from './alert-email.renderer';
import { classifySmtpResult, smtpErrorOf } from './smtp-result.classifier';

export interface EmailChannelAdapterDeps {
  /** A pooled SMTP transport (nodemailer `pool: true`): its connections carry every send of the process. */
  transport: Transporter;
  /** Header and envelope sender. */
  from: string;
  /** Right-hand side of our Message-IDs. */
  messageIdDomain: string;
  clock?: Clock;
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

  private async sendOne(target: DeliveryTarget, message: OutgoingMessage): Promise<DeliveryOutcome> {
    const { deliveryId } = target;
    const mail = renderAlertEmail(message, deliveryId, target.language);
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
