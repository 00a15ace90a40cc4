import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { drillReportCsv } from './drill-report.csv';
import { DrillReportUseCase } from './drill-report.use-case';
import { DrillReportDto, DrillReportQuery } from './drills.dto';

/**
 * Any alert's report, the same figures as a drill's (per group and district, the confirmation curve, the silent
 * residents with their supporters, deliveries per channel), for the alert detail screen and its CSV export. It
 * names residents, so operators and above only.
 */
@ApiTags('alerts')
@Controller('v1/municipalities/:municipalityId/alerts')
export class AlertReportController {
  constructor(private readonly reports: DrillReportUseCase) {}

  @Get(':alertId/report')
  @Roles(Role.Operator)
  @ApiOkResponse({
    description: 'per group and district, non-responders and deliveries; CSV for Excel (UTF-8 with BOM)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(DrillReportDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async report(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Param('alertId', ParseUUIDPipe) alertId: string,
    @Query() q: DrillReportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DrillReportDto | string> {
    const report = await this.reports.execute(mid, alertId);
    if (q.format !== 'csv') return DrillReportDto.of(report);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="alert-${alertId}.csv"`);
    return drillReportCsv(report, '警報 / alert');
  }
}
