import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  escalationTimings,
  NotFoundError,
  parseChannelFallbackSettings,
  parsePublicPostSettings,
  EndpointStatus,
  Role,
} from '@bousai/domain';
import {
  type AreaEntity,
  type EndpointEntity,
  type HouseholdEntity,
  type MunicipalityEntity,
  type Page,
  type ResidentEntity,
  RosterRepository,
  type SupporterEntity,
} from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import {
  AreaQuery,
  CreateAreaDto,
  CreateHouseholdDto,
  CreateResidentDto,
  CreateSupporterDto,
  EndpointQuery,
  HouseholdQuery,
  ResidentQuery,
  UpdateAreaDto,
  UpdateEndpointDto,
  UpdateHouseholdDto,
  UpdateMunicipalityDto,
  UpdateResidentDto,
  UpdateSupporterDto,
} from './roster.dto';

const M = 'v1/municipalities/:municipalityId';
const Id = (name = 'id') => Param(name, ParseUUIDPipe);
const Mid = () => Param('municipalityId', ParseUUIDPipe);

/** What operators see of an endpoint: never the receiver secret hash. */
export type EndpointView = Omit<EndpointEntity, 'secretHash'>;
export function endpointView(e: EndpointEntity): EndpointView {
  const { secretHash: _secret, ...rest } = e;
  return rest;
}

@ApiTags('roster')
@Controller(M)
export class MunicipalityController {
  constructor(private readonly roster: RosterRepository) {}

  @Get()
  @Roles(Role.Viewer)
  get(@Mid() municipalityId: string): Promise<MunicipalityEntity> {
    return this.roster.municipality(municipalityId);
  }

  @Patch()
  @Roles(Role.Admin)
  @Audit('municipality.update', 'municipality')
  update(@Mid() municipalityId: string, @Body() body: UpdateMunicipalityDto): Promise<MunicipalityEntity> {
    // settings the fan-out reads are checked here, where an admin can still correct them
    if (body.settings) {
      parseChannelFallbackSettings(body.settings.channelFallback);
      parsePublicPostSettings(body.settings.publicPosts);
      escalationTimings(body.settings);
    }
    return this.roster.updateMunicipality(municipalityId, body);
  }
}

@ApiTags('roster')
@Controller(`${M}/areas`)
export class AreasController {
  constructor(private readonly roster: RosterRepository) {}

  @Get()
  @Roles(Role.Viewer)
  list(@Mid() mid: string, @Query() q: AreaQuery): Promise<Page<AreaEntity>> {
    return this.roster.areas.list(mid, { code: q.code }, q);
  }

  @Post()
  @Roles(Role.Admin)
  @Audit('area.create', 'area')
  create(@Mid() mid: string, @Body() body: CreateAreaDto): Promise<AreaEntity> {
    return this.roster.areas.create(mid, body);
  }

  @Get(':id')
  @Roles(Role.Viewer)
  get(@Mid() mid: string, @Id() id: string): Promise<AreaEntity> {
    return this.roster.areas.get(mid, id);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @Audit('area.update', 'area')
  update(@Mid() mid: string, @Id() id: string, @Body() body: UpdateAreaDto): Promise<AreaEntity> {
    return this.roster.areas.update(mid, id, body);
  }

  @Delete(':id')
  @Roles(Role.Admin)
  @HttpCode(204)
  @Audit('area.delete', 'area')
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.areas.remove(mid, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/households`)
export class HouseholdsController {
  constructor(private readonly roster: RosterRepository) {}

  @Get()
  @Roles(Role.Viewer)
  list(@Mid() mid: string, @Query() q: HouseholdQuery): Promise<Page<HouseholdEntity>> {
    return this.roster.households.list(mid, { areaId: q.areaId, externalId: q.externalId }, q);
  }

  @Post()
  @Roles(Role.Operator)
  @Audit('household.create', 'household')
  async create(@Mid() mid: string, @Body() body: CreateHouseholdDto): Promise<HouseholdEntity> {
    if (body.areaId) await this.roster.areas.get(mid, body.areaId);
    return this.roster.households.create(mid, body);
  }

  @Get(':id')
  @Roles(Role.Viewer)
  get(@Mid() mid: string, @Id() id: string): Promise<HouseholdEntity> {
    return this.roster.households.get(mid, id);
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('household.update', 'household')
  async update(
    @Mid() mid: string,
    @Id() id: string,
    @Body() body: UpdateHouseholdDto,
  ): Promise<HouseholdEntity> {
    if (body.areaId) await this.roster.areas.get(mid, body.areaId);
    return this.roster.households.update(mid, id, body);
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('household.delete', 'household')
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.households.remove(mid, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/residents`)
export class ResidentsController {
  constructor(private readonly roster: RosterRepository) {}

  @Get()
  @Roles(Role.Viewer)
  list(@Mid() mid: string, @Query() q: ResidentQuery): Promise<Page<ResidentEntity>> {
    const { householdId, needsAssistance, staff, language, externalId } = q;
    return this.roster.residents.list(mid, { householdId, needsAssistance, staff, language, externalId }, q);
  }

  @Post()
  @Roles(Role.Operator)
  @Audit('resident.create', 'resident')
  async create(@Mid() mid: string, @Body() body: CreateResidentDto): Promise<ResidentEntity> {
    if (body.householdId) await this.roster.households.get(mid, body.householdId);
    return this.roster.residents.create(mid, { ...body, consentAt: body.consentScopes ? new Date() : null });
  }

  @Get(':id')
  @Roles(Role.Viewer)
  get(@Mid() mid: string, @Id() id: string): Promise<ResidentEntity> {
    return this.roster.residents.get(mid, id);
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('resident.update', 'resident')
  async update(
    @Mid() mid: string,
    @Id() id: string,
    @Body() body: UpdateResidentDto,
  ): Promise<ResidentEntity> {
    if (body.householdId) await this.roster.households.get(mid, body.householdId);
    return this.roster.residents.update(mid, id, {
      ...body,
      ...(body.consentScopes ? { consentAt: new Date() } : {}),
    });
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('resident.delete', 'resident')
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.residents.remove(mid, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/residents/:residentId/supporters`)
export class SupportersController {
  constructor(private readonly roster: RosterRepository) {}

  @Get()
  @Roles(Role.Viewer)
  async list(@Mid() mid: string, @Id('residentId') residentId: string): Promise<SupporterEntity[]> {
    await this.roster.residents.get(mid, residentId);
    const page = await this.roster.supporters.list(mid, { residentId }, { limit: 100 });
    return page.items.sort((a, b) => a.priority - b.priority);
  }

  @Post()
  @Roles(Role.Operator)
  @Audit('supporter.create', 'supporter')
  async create(
    @Mid() mid: string,
    @Id('residentId') residentId: string,
    @Body() body: CreateSupporterDto,
  ): Promise<SupporterEntity> {
    await this.roster.residents.get(mid, residentId);
    if (body.supporterResidentId) await this.roster.residents.get(mid, body.supporterResidentId);
    return this.roster.supporters.create(mid, { ...body, residentId });
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('supporter.update', 'supporter')
  async update(
    @Mid() mid: string,
    @Id('residentId') residentId: string,
    @Id() id: string,
    @Body() body: UpdateSupporterDto,
  ): Promise<SupporterEntity> {
    await this.supporterOf(mid, residentId, id);
    if (body.supporterResidentId) await this.roster.residents.get(mid, body.supporterResidentId);
    return this.roster.supporters.update(mid, id, body);
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('supporter.delete', 'supporter')
  async remove(@Mid() mid: string, @Id('residentId') residentId: string, @Id() id: string): Promise<void> {
    await this.supporterOf(mid, residentId, id);
    await this.roster.supporters.remove(mid, id);
  }

  private async supporterOf(mid: string, residentId: string, id: string): Promise<SupporterEntity> {
    const s = await this.roster.supporters.get(mid, id);
    if (s.residentId !== residentId) throw new NotFoundError('supporter', id);
    return s;
  }
}

@ApiTags('roster')
@Controller(`${M}/endpoints`)
export class EndpointsController {
  constructor(private readonly roster: RosterRepository) {}

  @Get()
  @Roles(Role.Viewer)
  async list(@Mid() mid: string, @Query() q: EndpointQuery): Promise<Page<EndpointView>> {
    const { channel, status, residentId, householdId } = q;
    const page = await this.roster.endpoints.list(mid, { channel, status, residentId, householdId }, q);
    return { ...page, items: page.items.map(endpointView) };
  }

  @Get(':id')
  @Roles(Role.Viewer)
  async get(@Mid() mid: string, @Id() id: string): Promise<EndpointView> {
    return endpointView(await this.roster.endpoints.get(mid, id));
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('endpoint.update', 'endpoint')
  async update(@Mid() mid: string, @Id() id: string, @Body() body: UpdateEndpointDto): Promise<EndpointView> {
    const patch: Partial<EndpointEntity> = { ...body };
    if (body.status === EndpointStatus.Dead) {
      patch.deadAt = new Date();
      patch.deadReason = body.deadReason ?? 'marked dead by an operator';
    } else if (body.status === EndpointStatus.Active) {
      patch.deadAt = null;
      patch.deadReason = null;
    }
    return endpointView(await this.roster.endpoints.update(mid, id, patch));
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('endpoint.delete', 'endpoint')
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.endpoints.remove(mid, id);
  }
}
