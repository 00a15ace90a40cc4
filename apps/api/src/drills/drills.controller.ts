import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError, Role } from '@bousai/domain';
import { DrillRepository } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import type { DrillReport } from './drill-report';
import { drillReportCsv } from './drill-report.csv';
import { DrillReportUseCase } from './drill-report.use-case';
import { DrillDto, DrillReportQuery, LaunchDrillDto } from './drills.dto';
import { LaunchDrillUseCase } from './launch-drill.use-case';

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const Id = () => Param('alertId', ParseUUIDPipe);

/** 訓練: launch now or later, list, cancel a scheduled one, and the report (JSON or CSV for Excel). */
@ApiTags('drills')
@Controller('v1/municipalities/:municipalityId/drills')
export class DrillsController {
  constructor(
    private readonly launcher: LaunchDrillUseCase,
    private readonly reports: DrillReportUseCase,
    private readonly drills: DrillRepository,
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
    return drill;
  }

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [DrillDto] })
  list(@Mid() mid: string): Promise<DrillDto[]> {
    return this.drills.list(mid);
  }

  @Get(':alertId')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: DrillDto })
  async get(@Mid() mid: string, @Id() alertId: string): Promise<DrillDto> {
    const drill = await this.drills.get(mid, alertId);
    if (!drill) throw new NotFoundError('drill', alertId);
    return drill;
  }

  @Post(':alertId/cancel')
  @Roles(Role.Operator)
  @HttpCode(200)
  @Audit('drill.cancel', 'alert')
  @ApiOkResponse({ type: DrillDto })
  cancel(@Id() alertId: string, @CurrentOperator() op: OperatorPrincipal): Promise<DrillDto> {
    return this.launcher.cancel(op, alertId);
  }

  @Get(':alertId/report')
  @Roles(Role.Viewer)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'per group and district, confirmation curve, non-responders, earlier drills',
  })
  async report(
    @Mid() mid: string,
    @Id() alertId: string,
    @Query() q: DrillReportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DrillReport | string> {
    const report = await this.reports.execute(mid, alertId);
    if (q.format !== 'csv') return report;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="drill-${alertId}.csv"`);
    return drillReportCsv(report);
  }
}
