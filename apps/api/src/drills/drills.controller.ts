import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { drillReportCsv } from './drill-report.csv';
import { DrillQueriesUseCase } from './drill-queries.use-case';
import { DrillReportUseCase } from './drill-report.use-case';
import { DrillDto, DrillReportDto, DrillReportQuery, LaunchDrillDto } from './drills.dto';
import { LaunchDrillUseCase } from './launch-drill.use-case';

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const Id = () => Param('alertId', ParseUUIDPipe);

/** 訓練: launch now or later, list, cancel a scheduled one, and the report (JSON or CSV for Excel). */
@ApiTags('drills')
@ApiExtraModels(DrillReportDto)
@Controller('v1/municipalities/:municipalityId/drills')
export class DrillsController {
  constructor(
    private readonly launcher: LaunchDrillUseCase,
    private readonly reports: DrillReportUseCase,
    private readonly drills: DrillQueriesUseCase,
  ) {}

  @Post()
  @Roles(Role.Operator)
  @Audit('drill.launch', 'alert')
  @ApiCreatedResponse({ type: DrillDto, description: 'launched, scheduled, or waiting for approval' })
  async launch(
    @Mid() _mid: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: LaunchDrillDto,
    @Req() req: AuditedRequest,
  ): Promise<DrillDto> {
    const drill = await this.launcher.execute(op, body);
    req.auditTargetIds = [drill.alertId];
    req.auditDetails = { scheduledAt: body.scheduledAt ?? null, state: drill.scheduleState };
    return DrillDto.of(drill);
  }

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [DrillDto] })
  async list(@Mid() mid: string): Promise<DrillDto[]> {
    return (await this.drills.list(mid)).map((d) => DrillDto.of(d));
  }

  @Get(':alertId')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: DrillDto })
  async get(@Mid() mid: string, @Id() alertId: string): Promise<DrillDto> {
    return DrillDto.of(await this.drills.get(mid, alertId));
  }

  @Post(':alertId/cancel')
  @Roles(Role.Operator)
  @HttpCode(200)
  @Audit('drill.cancel', 'alert')
  @ApiOkResponse({ type: DrillDto })
  async cancel(@Id() alertId: string, @CurrentOperator() op: OperatorPrincipal): Promise<DrillDto> {
    return DrillDto.of(await this.launcher.cancel(op, alertId));
  }

  @Get(':alertId/report')
  @Roles(Role.Viewer)
  @ApiOkResponse({
    description: 'per group and district, confirmation curve, non-responders, earlier drills; CSV for Excel',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(DrillReportDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async report(
    @Mid() mid: string,
    @Id() alertId: string,
    @Query() q: DrillReportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DrillReportDto | string> {
    const report = await this.reports.execute(mid, alertId);
    if (q.format !== 'csv') return DrillReportDto.of(report);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="drill-${alertId}.csv"`);
    return drillReportCsv(report);
  }
}
