import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  DomainError,
  ErrorCode,
  OneTapPurpose,
  type OutboxMessage,
  ValidationError,
  verifyOneTapToken,
} from '@bousai/domain';
import { RosterRepository } from '@bousai/persistence';
import { ConfirmEmailJob, outboxMessage } from '@bousai/queue';

/** What a registration did about the confirmation mail: asked the fanout for it, or could not (no secret). */
export type ConfirmationMail = 'queued' | 'unavailable';

/**
 * Address confirmation: the fanout mails only confirmed addresses, so a registered email address first gets a mail
 * with a one-tap link (`OneTapPurpose.ConfirmEmail`, the endpoint id as its answer, signed with ONE_TAP_SECRET).
 * The api never sends it: the registration writes an `email.confirm` job to the outbox and a fanout with an email
 * sender signs the link and mails it. Opening the link shows a page with one button; pressing it confirms (mail
 * scanners that fetch links do not).
 */
@Injectable()
export class EmailConfirmationService {
  private readonly logger = new Logger(EmailConfirmationService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
    private readonly roster: RosterRepository,
  ) {}

  /**
   * The outbox row asking the fanout to mail the link of a resident's email endpoint, to be written with the
   * endpoint; undefined when links cannot be signed here (ONE_TAP_SECRET unset), so none could be confirmed.
   */
  mailRequest(
    endpoint: { id: string; municipalityId: string },
    residentId: string,
    language: string,
    baseUrl: string,
  ): OutboxMessage | undefined {
    if (!this.config.ONE_TAP_SECRET) {
      this.logger.warn('ONE_TAP_SECRET is not set: email addresses cannot be confirmed');
      return undefined;
    }
    return outboxMessage(ConfirmEmailJob, {
      requestId: randomUUID(),
      endpointId: endpoint.id,
      municipalityId: endpoint.municipalityId,
      residentId,
      language,
      baseUrl,
    });
  }

  /** Checks a link token; resolves to the resident and endpoint it confirms. */
  verify(token: unknown): { residentId: string; endpointId: string } {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2_000) {
      throw new ValidationError('Open the link from the confirmation mail: it carries a token');
    }
    const secret = this.config.ONE_TAP_SECRET;
    if (!secret) throw new DomainError(ErrorCode.Unavailable, 'Email confirmation is not configured');
    const claims = verifyOneTapToken(token, secret, { purpose: OneTapPurpose.ConfirmEmail });
    if (!claims.answer) throw new DomainError(ErrorCode.TokenInvalid, 'one-tap link is invalid: no endpoint');
    return { residentId: claims.residentId, endpointId: claims.answer };
  }

  /** Confirms the address; resolves to false when the endpoint is gone or not this resident's email. */
  confirm(residentId: string, endpointId: string): Promise<boolean> {
    return this.roster.confirmEmailEndpoint(residentId, endpointId);
  }

  /** The language the resident reads, for the pages the link shows; null when unknown. */
  residentLanguage(residentId: string): Promise<string | null> {
    return this.roster.residentLanguage(residentId);
  }
}
