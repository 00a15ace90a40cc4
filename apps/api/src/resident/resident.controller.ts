import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { Channel } from '@bousai/domain';
import type { EndpointEntity } from '@bousai/persistence';
import { Public, ResidentAccess } from '../auth/access.decorators';
import { CurrentResident, type ResidentCaller } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { publicBaseUrl } from '../public-base-url';
import {
  EnrolDto,
  OwnEndpointDto,
  RegisterEndpointDto,
  ResidentAlertDto,
  ResidentAreaDto,
  ResidentAlertsQueryDto,
  ResidentCredentialDto,
  ResidentProfileDto,
  UpdateResidentSettingsDto,
  WebPushKeyDto,
} from './resident.dto';
import { ResidentHomeUseCase } from './resident-home.use-case';
import { ResidentSelfServiceUseCase } from './resident-self-service.use-case';

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
  constructor(
    private readonly selfService: ResidentSelfServiceUseCase,
    private readonly home: ResidentHomeUseCase,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get('me')
  @ResidentAccess()
  @ApiOkResponse({ type: ResidentProfileDto })
  me(@CurrentResident() me: ResidentCaller): Promise<ResidentProfileDto> {
    return this.home.profile(me);
  }

  @Patch('me')
  @ResidentAccess()
  @Audit('resident.settings', 'resident')
  @ApiOkResponse({ type: ResidentProfileDto })
  async updateMe(
    @CurrentResident() me: ResidentCaller,
    @Body() body: UpdateResidentSettingsDto,
    @Req() req: AuditedRequest,
  ): Promise<ResidentProfileDto> {
    req.auditTargetIds = [me.residentId];
    req.auditDetails = { language: body.language ?? null, extraAreas: body.extraAreaIds?.length ?? null };
    return this.home.updateSettings(me, body);
  }

  @Get('areas')
  @ResidentAccess()
  @ApiOkResponse({ type: [ResidentAreaDto], description: "the districts of the resident's municipality" })
  areas(@CurrentResident() me: ResidentCaller): Promise<ResidentAreaDto[]> {
    return this.home.areas(me);
  }

  @Get('alerts')
  @ResidentAccess()
  @ApiOkResponse({ type: [ResidentAlertDto] })
  alerts(
    @CurrentResident() me: ResidentCaller,
    @Query() query: ResidentAlertsQueryDto,
  ): Promise<ResidentAlertDto[]> {
    return this.home.alerts(me, query.lang);
  }

  @Post('enrol')
  @Public()
  @Audit('resident.enrol', 'resident_credential')
  @ApiCreatedResponse({ type: ResidentCredentialDto })
  async enrol(@Body() body: EnrolDto, @Req() req: AuditedRequest): Promise<ResidentCredentialDto> {
    const { credential, principal } = await this.selfService.enrol(body.code, body.deviceLabel);
    req.principal = { kind: 'resident', ...principal };
    req.auditTargetIds = [principal.credentialId];
    return { credential, residentId: principal.residentId };
  }

  @Get('endpoints')
  @ResidentAccess()
  @ApiOkResponse({ type: [OwnEndpointDto] })
  async list(@CurrentResident() me: ResidentCaller): Promise<OwnEndpointDto[]> {
    return (await this.selfService.endpoints(me)).map(ownView);
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
    const { endpoint, confirmation } = await this.selfService.register(
      me,
      body,
      publicBaseUrl(this.config, req),
    );
    const view = ownView(endpoint);
    if (confirmation) view.confirmation = confirmation;
    return view;
  }

  @Delete('endpoints/:id')
  @ResidentAccess()
  @HttpCode(204)
  @Audit('endpoint.unregister', 'endpoint')
  @ApiNoContentResponse({ description: 'unregistered: nothing more is sent to it' })
  remove(@CurrentResident() me: ResidentCaller, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.selfService.remove(me, id);
  }

  @Post('logout')
  @ResidentAccess()
  @HttpCode(204)
  @Audit('resident.logout', 'resident_credential')
  @ApiNoContentResponse({ description: 'this device credential is revoked' })
  logout(@CurrentResident() me: ResidentCaller): Promise<void> {
    return this.selfService.logout(me);
  }
}

/** What a web page needs to subscribe a browser to Web Push: public by nature (every subscriber's browser has it). */
@ApiTags('public')
@Controller('v1/public/web-push')
export class WebPushKeyController {
  constructor(@Inject(APP_CONFIG) private readonly config: ApiConfig) {}

  @Get()
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOkResponse({ type: WebPushKeyDto })
  key(): WebPushKeyDto {
    return { vapidPublicKey: this.config.WEBPUSH_VAPID_PUBLIC_KEY ?? null };
  }
}
