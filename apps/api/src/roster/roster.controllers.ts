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
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@bousai/domain';
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
import { RosterUseCase } from './roster.use-case';
import {
  AreaPage,
  AreaView,
  EndpointPage,
  EndpointView,
  HouseholdPage,
  HouseholdView,
  MunicipalityView,
  ResidentPage,
  ResidentView,
  SupporterView,
} from './roster-views.dto';

const M = 'v1/municipalities/:municipalityId';
const Id = (name = 'id') => Param(name, ParseUUIDPipe);
const Mid = () => Param('municipalityId', ParseUUIDPipe);

@ApiTags('roster')
@Controller(M)
export class MunicipalityController {
  constructor(private readonly roster: RosterUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: MunicipalityView })
  async get(@Mid() municipalityId: string): Promise<MunicipalityView> {
    return MunicipalityView.of(await this.roster.municipality(municipalityId));
  }

  @Patch()
  @Roles(Role.Admin)
  @Audit('municipality.update', 'municipality')
  @ApiOkResponse({ type: MunicipalityView })
  async update(
    @Mid() municipalityId: string,
    @Body() body: UpdateMunicipalityDto,
  ): Promise<MunicipalityView> {
    return MunicipalityView.of(await this.roster.updateMunicipality(municipalityId, body));
  }
}

@ApiTags('roster')
@Controller(`${M}/areas`)
export class AreasController {
  constructor(private readonly roster: RosterUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: AreaPage })
  async list(@Mid() mid: string, @Query() q: AreaQuery): Promise<AreaPage> {
    return AreaPage.of(await this.roster.areas.list(mid, { code: q.code }, q));
  }

  @Post()
  @Roles(Role.Admin)
  @Audit('area.create', 'area')
  @ApiCreatedResponse({ type: AreaView })
  async create(@Mid() mid: string, @Body() body: CreateAreaDto): Promise<AreaView> {
    return AreaView.of(await this.roster.areas.create(mid, body));
  }

  @Get(':id')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: AreaView })
  async get(@Mid() mid: string, @Id() id: string): Promise<AreaView> {
    return AreaView.of(await this.roster.areas.get(mid, id));
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @Audit('area.update', 'area')
  @ApiOkResponse({ type: AreaView })
  async update(@Mid() mid: string, @Id() id: string, @Body() body: UpdateAreaDto): Promise<AreaView> {
    return AreaView.of(await this.roster.areas.update(mid, id, body));
  }

  @Delete(':id')
  @Roles(Role.Admin)
  @HttpCode(204)
  @Audit('area.delete', 'area')
  @ApiNoContentResponse({ description: 'deleted; its households keep no district' })
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.areas.remove(mid, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/households`)
export class HouseholdsController {
  constructor(private readonly roster: RosterUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: HouseholdPage })
  async list(@Mid() mid: string, @Query() q: HouseholdQuery): Promise<HouseholdPage> {
    const filter = { areaId: q.areaId, externalId: q.externalId };
    return HouseholdPage.of(await this.roster.households.list(mid, filter, q));
  }

  @Post()
  @Roles(Role.Operator)
  @Audit('household.create', 'household')
  @ApiCreatedResponse({ type: HouseholdView })
  async create(@Mid() mid: string, @Body() body: CreateHouseholdDto): Promise<HouseholdView> {
    return HouseholdView.of(await this.roster.households.create(mid, body));
  }

  @Get(':id')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: HouseholdView })
  async get(@Mid() mid: string, @Id() id: string): Promise<HouseholdView> {
    return HouseholdView.of(await this.roster.households.get(mid, id));
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('household.update', 'household')
  @ApiOkResponse({ type: HouseholdView })
  async update(
    @Mid() mid: string,
    @Id() id: string,
    @Body() body: UpdateHouseholdDto,
  ): Promise<HouseholdView> {
    return HouseholdView.of(await this.roster.households.update(mid, id, body));
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('household.delete', 'household')
  @ApiNoContentResponse({ description: 'deleted with its endpoints' })
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.households.remove(mid, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/residents`)
export class ResidentsController {
  constructor(private readonly roster: RosterUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: ResidentPage })
  async list(@Mid() mid: string, @Query() q: ResidentQuery): Promise<ResidentPage> {
    const { householdId, needsAssistance, staff, language, externalId } = q;
    const filter = { householdId, needsAssistance, staff, language, externalId };
    return ResidentPage.of(await this.roster.residents.list(mid, filter, q));
  }

  @Post()
  @Roles(Role.Operator)
  @Audit('resident.create', 'resident')
  @ApiCreatedResponse({ type: ResidentView })
  async create(@Mid() mid: string, @Body() body: CreateResidentDto): Promise<ResidentView> {
    return ResidentView.of(await this.roster.residents.create(mid, body));
  }

  @Get(':id')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: ResidentView })
  async get(@Mid() mid: string, @Id() id: string): Promise<ResidentView> {
    return ResidentView.of(await this.roster.residents.get(mid, id));
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('resident.update', 'resident')
  @ApiOkResponse({ type: ResidentView })
  async update(@Mid() mid: string, @Id() id: string, @Body() body: UpdateResidentDto): Promise<ResidentView> {
    return ResidentView.of(await this.roster.residents.update(mid, id, body));
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('resident.delete', 'resident')
  @ApiNoContentResponse({ description: 'deleted with their endpoints and supporters' })
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.residents.remove(mid, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/residents/:residentId/supporters`)
export class SupportersController {
  constructor(private readonly roster: RosterUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [SupporterView], description: 'in the order the escalation tries them' })
  async list(@Mid() mid: string, @Id('residentId') residentId: string): Promise<SupporterView[]> {
    return (await this.roster.supporters.of(mid, residentId)).map((s) => SupporterView.of(s));
  }

  @Post()
  @Roles(Role.Operator)
  @Audit('supporter.create', 'supporter')
  @ApiCreatedResponse({ type: SupporterView })
  async create(
    @Mid() mid: string,
    @Id('residentId') residentId: string,
    @Body() body: CreateSupporterDto,
  ): Promise<SupporterView> {
    return SupporterView.of(await this.roster.supporters.create(mid, residentId, body));
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('supporter.update', 'supporter')
  @ApiOkResponse({ type: SupporterView })
  async update(
    @Mid() mid: string,
    @Id('residentId') residentId: string,
    @Id() id: string,
    @Body() body: UpdateSupporterDto,
  ): Promise<SupporterView> {
    return SupporterView.of(await this.roster.supporters.update(mid, residentId, id, body));
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('supporter.delete', 'supporter')
  @ApiNoContentResponse({ description: 'deleted' })
  remove(@Mid() mid: string, @Id('residentId') residentId: string, @Id() id: string): Promise<void> {
    return this.roster.supporters.remove(mid, residentId, id);
  }
}

@ApiTags('roster')
@Controller(`${M}/endpoints`)
export class EndpointsController {
  constructor(private readonly roster: RosterUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: EndpointPage })
  async list(@Mid() mid: string, @Query() q: EndpointQuery): Promise<EndpointPage> {
    const { channel, status, residentId, householdId } = q;
    return EndpointPage.of(
      await this.roster.endpoints.list(mid, { channel, status, residentId, householdId }, q),
    );
  }

  @Get(':id')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: EndpointView })
  async get(@Mid() mid: string, @Id() id: string): Promise<EndpointView> {
    return EndpointView.of(await this.roster.endpoints.get(mid, id));
  }

  @Patch(':id')
  @Roles(Role.Operator)
  @Audit('endpoint.update', 'endpoint')
  @ApiOkResponse({ type: EndpointView })
  async update(@Mid() mid: string, @Id() id: string, @Body() body: UpdateEndpointDto): Promise<EndpointView> {
    return EndpointView.of(await this.roster.endpoints.update(mid, id, body));
  }

  @Delete(':id')
  @Roles(Role.Operator)
  @HttpCode(204)
  @Audit('endpoint.delete', 'endpoint')
  @ApiNoContentResponse({ description: 'deleted' })
  remove(@Mid() mid: string, @Id() id: string): Promise<void> {
    return this.roster.endpoints.remove(mid, id);
  }
}
