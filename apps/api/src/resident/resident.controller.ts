import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  Channel,
  DomainError,
  type EndpointAddress,
  EndpointStatus,
  ErrorCode,
  newSecret,
  NotFoundError,
  OutboundAddressPolicy,
  parseEmail,
  parseFcmToken,
  parseLineUserId,
  parseWebPushSubscription,
  sha256,
} from '@bousai/domain';
import { type EndpointEntity, ResidentAuthRepository, RosterRepository } from '@bousai/persistence';
import { Public, ResidentAccess } from '../auth/access.decorators';
import { CurrentResident, type ResidentCaller } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { normaliseEnrolmentCode } from '../roster/provisioning.controller';
import { EmailConfirmationService } from './email-confirmation.service';
import { publicBaseUrl } from '../public-base-url';
import { EnrolDto, OwnEndpointDto, RegisterEndpointDto, ResidentCredentialDto } from './resident.dto';

function ownView(e: EndpointEntity): OwnEndpointDto {
  const view: OwnEndpointDto = {
    id: e.id,
    channel: e.channel,
    status: e.status,
    label: e.label,
    createdAt: e.createdAt,
  };
  if (e.channel === Channel.Email) view.confirmed = e.confirmedAt !== null;
  return view;
}

/** Residents register and manage their own ways of being reached. */
@ApiTags('resident')
@Controller('v1/resident')
export class ResidentController {
  /** The push services subscriptions may name; checked without resolving anything (the fanout checks DNS). */
  private readonly pushEndpoints: OutboundAddressPolicy;

  constructor(
    private readonly residentAuth: ResidentAuthRepository,
    private readonly roster: RosterRepository,
    private readonly emailConfirmation: EmailConfirmationService,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {
    this.pushEndpoints = new OutboundAddressPolicy({
      allowedOrigins: config.WEBPUSH_ALLOWED_ORIGINS,
      loopbackOrigins: config.WEBPUSH_LOOPBACK_ORIGINS,
      allowHttp: config.WEBPUSH_ALLOW_HTTP,
    });
  }

  @Post('enrol')
  @Public()
  @Audit('resident.enrol', 'resident_credential')
  @ApiCreatedResponse({ type: ResidentCredentialDto })
  async enrol(@Body() body: EnrolDto, @Req() req: AuditedRequest): Promise<ResidentCredentialDto> {
    const credential = newSecret('rc');
    const principal = await this.residentAuth.redeem(
      sha256(normaliseEnrolmentCode(body.code)),
      sha256(credential),
      body.deviceLabel ?? null,
    );
    if (!principal) {
      throw new DomainError(
        ErrorCode.InvalidCredentials,
        'Enrolment code is unknown, used or expired; ask the municipality for a new one',
      );
    }
    req.principal = { kind: 'resident', ...principal };
    req.auditTargetIds = [principal.credentialId];
    return { credential, residentId: principal.residentId };
  }

  @Get('endpoints')
  @ResidentAccess()
  @ApiOkResponse({ type: [OwnEndpointDto] })
  async list(@CurrentResident() me: ResidentCaller): Promise<OwnEndpointDto[]> {
    const page = await this.roster.endpoints.list(
      me.municipalityId,
      { residentId: me.residentId },
      { limit: 100 },
    );
    return page.items.map(ownView);
  }

  @Post('endpoints')
  @ResidentAccess()
  @Audit('endpoint.register', 'endpoint')
  @ApiCreatedResponse({ type: OwnEndpointDto })
  async register(
    @CurrentResident() me: ResidentCaller,
    @Body() body: RegisterEndpointDto,
    @Req() req: Request,
  ): Promise<OwnEndpointDto> {
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
    const saved = existing
      ? await this.roster.endpoints.update(me.municipalityId, existing.id, fields)
      : await this.roster.endpoints.create(me.municipalityId, {
          ...fields,
          residentId: me.residentId,
          householdId: me.householdId,
          channel: parsed.channel,
          address: parsed.address,
        });
    const view = ownView(saved);
    // a new address, or one not confirmed yet, gets (another) link; a confirmed one stays confirmed
    if (parsed.channel === Channel.Email && saved.confirmedAt === null) {
      const resident = await this.roster.residents.get(me.municipalityId, me.residentId);
      view.confirmation = await this.emailConfirmation.send(
        saved,
        me.residentId,
        resident.language,
        publicBaseUrl(this.config, req),
      );
    }
    return view;
  }

  @Delete('endpoints/:id')
  @ResidentAccess()
  @HttpCode(204)
  @Audit('endpoint.unregister', 'endpoint')
  async remove(@CurrentResident() me: ResidentCaller, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    const endpoint = await this.roster.endpoints.get(me.municipalityId, id);
    if (endpoint.residentId !== me.residentId) throw new NotFoundError('endpoint', id);
    await this.roster.endpoints.remove(me.municipalityId, id);
  }

  @Post('logout')
  @ResidentAccess()
  @HttpCode(204)
  @Audit('resident.logout', 'resident_credential')
  async logout(@CurrentResident() me: ResidentCaller): Promise<void> {
    await this.residentAuth.revokeCredential(me.credentialId);
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
