import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  Channel,
  DomainError,
  type EndpointAddress,
  EndpointStatus,
  ErrorCode,
  newSecret,
  NotFoundError,
  type OutboundAddressPolicy,
  parseEmail,
  parseFcmToken,
  parseLineUserId,
  parseWebPushSubscription,
  sha256,
} from '@bousai/domain';
import {
  type EndpointEntity,
  OutboxWriter,
  ResidentAuthRepository,
  type ResidentPrincipal,
  RosterRepository,
  TransactionRunner,
} from '@bousai/persistence';
import type { ResidentCaller } from '../auth/principal';
import { normaliseEnrolmentCode } from '../roster/enrolment-code';
import { pushEndpointPolicy } from './push-endpoint-policy';
import { type ConfirmationMail, EmailConfirmationService } from './email-confirmation.service';
import type { RegisterEndpointDto } from './resident.dto';

export interface RegisteredEndpoint {
  endpoint: EndpointEntity;
  /** email: whether this registration asked the fanout for a confirmation mail (none for a confirmed address). */
  confirmation?: ConfirmationMail;
}

/** Residents enrol a device with their code, then register and remove their own ways of being reached. */
@Injectable()
export class ResidentSelfServiceUseCase {
  /** The push services subscriptions may name; checked without resolving anything (the fanout checks DNS). */
  private readonly pushEndpoints: OutboundAddressPolicy;

  constructor(
    private readonly residentAuth: ResidentAuthRepository,
    private readonly roster: RosterRepository,
    private readonly emailConfirmation: EmailConfirmationService,
    private readonly tx: TransactionRunner,
    private readonly outbox: OutboxWriter,
    @Inject(APP_CONFIG) config: ApiConfig,
  ) {
    this.pushEndpoints = pushEndpointPolicy(config);
  }

  /** Redeems an enrolment code for a device credential; only the credential's hash is stored. */
  async enrol(
    code: string,
    deviceLabel: string | undefined,
  ): Promise<{ credential: string; principal: ResidentPrincipal }> {
    const credential = newSecret('rc');
    const principal = await this.residentAuth.redeem(
      sha256(normaliseEnrolmentCode(code)),
      sha256(credential),
      deviceLabel ?? null,
    );
    if (!principal) {
      throw new DomainError(
        ErrorCode.InvalidCredentials,
        'Enrolment code is unknown, used or expired; ask the municipality for a new one',
      );
    }
    return { credential, principal };
  }

  async endpoints(me: ResidentCaller): Promise<EndpointEntity[]> {
    const page = await this.roster.endpoints.list(
      me.municipalityId,
      { residentId: me.residentId },
      { limit: 100 },
    );
    return page.items;
  }

  /**
   * Registers a device or address, or refreshes the resident's own registration of it; an address someone else
   * registered is refused. A new or unconfirmed email address gets (another) confirmation link: its `email.confirm`
   * job commits with the endpoint, so the mail is durably asked for before the registration is answered.
   */
  async register(
    me: ResidentCaller,
    body: RegisterEndpointDto,
    baseUrl: string,
  ): Promise<RegisteredEndpoint> {
    const parsed = this.parse(body);
    const existing = await this.roster.findEndpointByAddress(parsed.channel, parsed.address);
    if (existing && existing.residentId !== me.residentId) {
      throw new DomainError(ErrorCode.EndpointTaken, 'This device or address is registered to someone else');
    }
    const fields: Partial<EndpointEntity> = {
      subscription: parsed.subscription ? { ...parsed.subscription } : null,
      status: EndpointStatus.Active,
      deadAt: null,
      deadReason: null,
      label: body.label ?? existing?.label ?? null,
    };
    const language =
      parsed.channel === Channel.Email
        ? (await this.roster.residents.get(me.municipalityId, me.residentId)).language
        : undefined;
    return this.tx.run(async (em) => {
      const endpoint = existing
        ? await this.roster.endpoints.update(me.municipalityId, existing.id, fields, em)
        : await this.roster.endpoints.create(
            me.municipalityId,
            {
              ...fields,
              residentId: me.residentId,
              householdId: me.householdId,
              channel: parsed.channel,
              address: parsed.address,
            },
            em,
          );
      if (language === undefined || endpoint.confirmedAt !== null) return { endpoint };
      const request = this.emailConfirmation.mailRequest(endpoint, me.residentId, language, baseUrl);
      if (!request) return { endpoint, confirmation: 'unavailable' };
      await this.outbox.enqueue(em, [request]);
      return { endpoint, confirmation: 'queued' };
    });
  }

  async remove(me: ResidentCaller, id: string): Promise<void> {
    const endpoint = await this.roster.endpoints.get(me.municipalityId, id);
    if (endpoint.residentId !== me.residentId) throw new NotFoundError('endpoint', id);
    await this.roster.endpoints.remove(me.municipalityId, id);
  }

  logout(me: ResidentCaller): Promise<void> {
    return this.residentAuth.revokeCredential(me.credentialId);
  }

  private parse(body: RegisterEndpointDto): EndpointAddress {
    switch (body.channel) {
      case Channel.Fcm:
        return parseFcmToken(body.token);
      case Channel.WebPush:
        return parseWebPushSubscription(body.subscription, { policy: this.pushEndpoints });
      case Channel.Email:
        return parseEmail(body.email);
      case Channel.Line:
        return parseLineUserId(body.lineUserId);
    }
  }
}
