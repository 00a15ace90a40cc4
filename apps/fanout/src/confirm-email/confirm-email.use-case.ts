import { Inject, Injectable, Logger } from '@nestjs/common';
import { AddressConfirmationMailer } from '@bousai/channels/senders';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { Channel, DomainError, EndpointStatus, ErrorCode, OneTapPurpose, oneTapUrl } from '@bousai/domain';
import { RosterRepository } from '@bousai/persistence';
import type { ConfirmEmailJob, JobPayload } from '@bousai/queue';

/** A confirmation link stays valid this long: a resident may read their mail days later. */
export const CONFIRMATION_LINK_TTL_MS = 7 * 86_400_000;

/**
 * Mails the one-tap confirmation link of a resident's email endpoint (`OneTapPurpose.ConfirmEmail`, the endpoint
 * id as its answer, signed with ONE_TAP_SECRET, the api's `POST /v1/resident/email/confirm` consumes it). The
 * endpoint is re-read first: one that is gone, dead, confirmed meanwhile or no longer this resident's gets nothing.
 * A transient SMTP answer throws, so the job is retried; an address the server does not know marks the endpoint
 * dead, as an alert mail would. Logs name the endpoint, never the address.
 */
@Injectable()
export class ConfirmEmailUseCase {
  private readonly logger = new Logger(ConfirmEmailUseCase.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: FanoutConfig,
    private readonly roster: RosterRepository,
    private readonly mailer: AddressConfirmationMailer,
  ) {}

  async execute(job: JobPayload<typeof ConfirmEmailJob>): Promise<void> {
    const secret = this.config.ONE_TAP_SECRET;
    if (!secret) {
      // retried: a fanout configured with the secret (or this one, restarted with it) sends it
      throw new DomainError(
        ErrorCode.Unavailable,
        'ONE_TAP_SECRET is not set: confirmation links cannot be signed',
      );
    }
    const endpoint = await this.roster.endpoints.find(job.municipalityId, job.endpointId);
    const skip = !endpoint
      ? 'endpoint gone'
      : endpoint.residentId !== job.residentId || endpoint.channel !== Channel.Email
        ? 'not this resident’s email endpoint'
        : endpoint.confirmedAt !== null
          ? 'already confirmed'
          : endpoint.status !== EndpointStatus.Active
            ? 'endpoint dead'
            : undefined;
    if (!endpoint || skip) {
      this.logger.log({ endpointId: job.endpointId, reason: skip }, 'confirmation mail not needed');
      return;
    }
    const url = oneTapUrl(
      job.baseUrl,
      '/v1/resident/email/confirm',
      {
        purpose: OneTapPurpose.ConfirmEmail,
        residentId: job.residentId,
        answer: endpoint.id,
        expiresAt: Date.now() + CONFIRMATION_LINK_TTL_MS,
      },
      secret,
    );
    const outcome = await this.mailer.send(endpoint.address, url, job.language, endpoint.id);
    switch (outcome.kind) {
      case 'sent':
      case 'delivered':
        this.logger.log({ endpointId: endpoint.id }, 'confirmation mail sent');
        return;
      case 'retry':
        throw new Error(
          `confirmation mail to endpoint ${endpoint.id} not accepted yet: ${outcome.errorCode}`,
        );
      case 'failed':
        if (outcome.endpointDead) {
          // the address does not exist: say so on the endpoint, as an alert mail would
          await this.roster.endpoints.update(job.municipalityId, endpoint.id, {
            status: EndpointStatus.Dead,
            deadReason: outcome.errorCode,
            deadAt: new Date(),
          });
        }
        this.logger.warn(
          { endpointId: endpoint.id, errorCode: outcome.errorCode, endpointDead: outcome.endpointDead },
          'confirmation mail refused',
        );
    }
  }
}
