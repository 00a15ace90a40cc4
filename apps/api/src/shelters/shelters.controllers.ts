import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError, ErrorCode, Role } from '@bousai/domain';
import { Public, ResidentAccess, Roles } from '../auth/access.decorators';
import {
  CurrentOperator,
  CurrentResident,
  type OperatorPrincipal,
  type ResidentCaller,
} from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { publicBaseUrl } from '../public-base-url';
import { ShelterImportUseCase } from './shelter-import.use-case';
import { publicShelterView as publicView, shelterView } from './shelter-views';
import { type CheckInResult, SheltersUseCase } from './shelters.use-case';
import {
  CheckInDto,
  CheckInResultDto,
  CrowdingBodyDto,
  HeadCountBodyDto,
  PublicShelterListDto,
  ResidentCheckInDto,
  ResidentCheckInResultDto,
  ResidentShelterDto,
  ShelterDto,
  ShelterImportQueryDto,
  ShelterImportReportDto,
  ShelterListQueryDto,
  ShelterQrDto,
  StaffCheckInDto,
} from './shelters.dto';

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const Id = () => Param('id', ParseUUIDPipe);

function checkInResult(r: CheckInResult): CheckInResultDto {
  const { operatorId: _op, ...checkIn } = r.checkIn;
  return { counted: r.counted, checkIn, shelter: shelterView(r.shelter), safetyAnswers: r.safetyAnswers };
}

function auditCheckIn(req: AuditedRequest, r: CheckInResult): void {
  req.auditTargetIds = [r.checkIn.id, r.shelter.id];
  req.auditDetails = {
    counted: r.counted,
    people: r.checkIn.people,
    headCount: r.shelter.headCount,
    safetyAnswers: r.safetyAnswers.length,
  };
}

/** Operators: import the lists, open and close shelters, keep their crowding, check people in. */
@ApiTags('shelters')
@Controller('v1/municipalities/:municipalityId/shelters')
export class ShelterOperatorController {
  constructor(
    private readonly importList: ShelterImportUseCase,
    private readonly useCase: SheltersUseCase,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Imports a 指定緊急避難場所 / 指定避難所 list in the Digital Agency's or GSI's layout, UTF-8 or Shift_JIS. Good rows
   * are imported (again: updated in place); every bad row is reported with its line.
   */
  @Post('imports')
  @Roles(Role.Operator)
  @Audit('shelter.import')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @ApiOkResponse({ type: ShelterImportReportDto })
  async import(
    @Mid() municipalityId: string,
    @Query() q: ShelterImportQueryDto,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: AuditedRequest,
  ): Promise<ShelterImportReportDto> {
    if (!file) throw new DomainError(ErrorCode.CsvInvalid, 'Upload the CSV as multipart form field "file"');
    const report = await this.importList.execute({
      municipalityId,
      content: file.buffer,
      encoding: q.encoding,
      kind: q.kind,
    });
    req.auditDetails = {
      format: report.format,
      kind: report.kind,
      encoding: report.encoding,
      rows: report.rows,
      inserted: report.inserted,
      updated: report.updated,
      rejected: report.errors.length,
    };
    return report;
  }

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [ShelterDto] })
  async list(@Mid() municipalityId: string, @Query() q: ShelterListQueryDto): Promise<ShelterDto[]> {
    return (await this.useCase.list(municipalityId, q)).map(shelterView);
  }

  @Get(':id')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: ShelterDto })
  async get(@Mid() municipalityId: string, @Id() id: string): Promise<ShelterDto> {
    return shelterView(await this.useCase.get(municipalityId, id));
  }

  /** 開設: residents see it open (public list, app) from now on. */
  @Post(':id/open')
  @Roles(Role.Operator)
  @Audit('shelter.open', 'shelter')
  @HttpCode(200)
  @ApiOkResponse({ type: ShelterDto })
  async open(
    @Mid() municipalityId: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<ShelterDto> {
    return shelterView(await this.useCase.open(municipalityId, id, op.operatorId));
  }

  /** 閉鎖. */
  @Post(':id/close')
  @Roles(Role.Operator)
  @Audit('shelter.close', 'shelter')
  @HttpCode(200)
  @ApiOkResponse({ type: ShelterDto })
  async close(
    @Mid() municipalityId: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<ShelterDto> {
    return shelterView(await this.useCase.close(municipalityId, id, op.operatorId));
  }

  /** Staff's own judgement of the crowding; it stands until they give a head count. */
  @Put(':id/crowding')
  @Roles(Role.Operator)
  @Audit('shelter.crowding', 'shelter')
  @ApiOkResponse({ type: ShelterDto })
  async crowding(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: CrowdingBodyDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<ShelterDto> {
    req.auditDetails = { level: body.level };
    return shelterView(await this.useCase.setCrowding(municipalityId, id, op.operatorId, body.level));
  }

  /** A head count: replaces the running count; the crowding follows from it against the capacity. */
  @Put(':id/head-count')
  @Roles(Role.Operator)
  @Audit('shelter.head-count', 'shelter')
  @ApiOkResponse({ type: ShelterDto })
  async headCount(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: HeadCountBodyDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<ShelterDto> {
    req.auditDetails = { headCount: body.headCount };
    return shelterView(await this.useCase.setHeadCount(municipalityId, id, op.operatorId, body.headCount));
  }

  /** 受付 at the desk: a resident, a household or a person by name. */
  @Post(':id/check-ins')
  @Roles(Role.Operator)
  @Audit('shelter.check-in', 'shelter_checkin')
  @ApiCreatedResponse({ type: CheckInResultDto })
  async checkIn(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: StaffCheckInDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<CheckInResultDto> {
    const result = await this.useCase.checkInByStaff(municipalityId, id, op.operatorId, body);
    auditCheckIn(req, result);
    return checkInResult(result);
  }

  @Get(':id/check-ins')
  @Roles(Role.Operator)
  @ApiOkResponse({ type: [CheckInDto] })
  async checkIns(@Mid() municipalityId: string, @Id() id: string): Promise<CheckInDto[]> {
    return (await this.useCase.checkIns(municipalityId, id)).map(({ operatorId: _op, ...c }) => c);
  }

  /** The shelter's QR code: print `url` as the code on the poster at its entrance. */
  @Get(':id/qr')
  @Roles(Role.Operator)
  @ApiOkResponse({ type: ShelterQrDto })
  async qr(@Mid() municipalityId: string, @Id() id: string, @Req() req: Request): Promise<ShelterQrDto> {
    const token = await this.useCase.qrToken(municipalityId, id);
    // the token rides in the fragment: it never reaches a server log, the app reads it and posts it
    return { token, url: `${publicBaseUrl(this.config, req)}/app/#/shelter-check-in/${token}` };
  }
}

/** Residents: check in by scanning a shelter's QR code; see the open shelters. */
@ApiTags('resident')
@Controller('v1/resident/shelters')
export class ResidentShelterController {
  constructor(private readonly useCase: SheltersUseCase) {}

  @Post('check-in')
  @ResidentAccess()
  @Audit('shelter.check-in', 'shelter_checkin')
  @ApiCreatedResponse({ type: ResidentCheckInResultDto })
  async checkIn(
    @CurrentResident() me: ResidentCaller,
    @Body() body: ResidentCheckInDto,
    @Req() req: AuditedRequest,
  ): Promise<ResidentCheckInResultDto> {
    const result = await this.useCase.checkInWithCode(me, body.token);
    auditCheckIn(req, result);
    return {
      counted: result.counted,
      shelterId: result.shelter.id,
      shelterName: result.shelter.name,
      checkedInAt: result.checkIn.checkedInAt,
      safetyAnswers: result.safetyAnswers,
    };
  }

  /** Open shelters of the resident's municipality, those serving their district first. */
  @Get()
  @ResidentAccess()
  @ApiOkResponse({ type: [ResidentShelterDto] })
  async list(@CurrentResident() me: ResidentCaller): Promise<ResidentShelterDto[]> {
    const { open, areaId } = await this.useCase.forResident(me);
    const views = open.map((s) => ({
      ...publicView(s),
      servesMyDistrict: s.areaIds.length === 0 || (areaId !== null && s.areaIds.includes(areaId)),
    }));
    return [...views.filter((v) => v.servesMyDistrict), ...views.filter((v) => !v.servesMyDistrict)];
  }
}

/** Anyone: the open shelters of a municipality, for maps and the public board. */
@ApiTags('public')
@Controller('v1/public/municipalities/:code/shelters')
export class PublicSheltersController {
  constructor(private readonly useCase: SheltersUseCase) {}

  @Get()
  @Public()
  @Header('cache-control', 'public, max-age=30')
  @ApiOkResponse({ type: PublicShelterListDto })
  async list(@Param('code') code: string): Promise<PublicShelterListDto> {
    const { municipality, open } = await this.useCase.publicOpen(code);
    return { municipality, shelters: open.map(publicView) };
  }
}
