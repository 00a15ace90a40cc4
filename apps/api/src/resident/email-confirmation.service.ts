import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AddressConfirmationMailer } from '@bousai/channels';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  DomainError,
  EndpointStatus,
  ErrorCode,
  OneTapPurpose,
  oneTapUrl,
  ValidationError,
  verifyOneTapToken,
} from '@bousai/domain';
import { RosterRepository } from '@bousai/persistence';

/** A confirmation link stays valid this long: a resident may read their mail days later. */
const LINK_TTL_MS = 7 * 86_400_000;

export type ConfirmationMail = 'sent' | 'failed' | 'unavailable';

/**
 * Address confirmation: the fanout mails only confirmed addresses, so a registered email address first gets a mail
 * with a one-tap link (`OneTapPurpose.ConfirmEmail`, the endpoint id as its answer, signed with ONE_TAP_SECRET).
 * Opening it shows a page with one button; pressing it confirms (mail scanners that fetch links do not).
 */
@Injectable()
export class EmailConfirmationService implements OnModuleDestroy {
  private readonly logger = new Logger(EmailConfirmationService.name);
  private mailer: Promise<AddressConfirmationMailer> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
    private readonly roster: RosterRepository,
  ) {}

  async onModuleDestroy(): Promise<void> {
    (await this.mailer?.catch(() => undefined))?.close();
  }

  /** Mails the link for an email endpoint of a resident; never fails the registration that asked for it. */
  async send(
    endpoint: { id: string; address: string; municipalityId: string },
    residentId: string,
    language: string,
    baseUrl: string,
  ): Promise<ConfirmationMail> {
    const secret = this.config.ONE_TAP_SECRET;
    if (!secret) {
      this.logger.warn('ONE_TAP_SECRET is not set: email addresses cannot be confirmed');
      return 'unavailable';
    }
    const url = oneTapUrl(
      baseUrl,
      '/v1/resident/email/confirm',
      {
        purpose: OneTapPurpose.ConfirmEmail,
        residentId,
        answer: endpoint.id,
        expiresAt: Date.now() + LINK_TTL_MS,
      },
      secret,
    );
    this.mailer ??= AddressConfirmationMailer.open(this.config);
    const outcome = await (await this.mailer).send(endpoint.address, url, language, endpoint.id);
    if (outcome.kind === 'sent') return 'sent';
    if (outcome.kind === 'failed' && outcome.endpointDead) {
      // the address does not exist: say so on the endpoint, as an alert mail would
      await this.roster.endpoints.update(endpoint.municipalityId, endpoint.id, {
        status: EndpointStatus.Dead,
        deadReason: outcome.errorCode,
        deadAt: new Date(),
      });
    }
    this.logger.warn({ endpointId: endpoint.id, outcome: outcome.kind }, 'confirmation mail not accepted');
    return 'failed';
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
