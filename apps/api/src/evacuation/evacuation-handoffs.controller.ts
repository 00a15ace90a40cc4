import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { lalertCsv, lalertJson, Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import {
  AreaMailDraftDto,
  EvacuationHandoffDto,
  HandoffItemDoneDto,
  WaiveHandoffItemDto,
} from './evacuation-handoffs.dto';
import { EvacuationHandoffsUseCase, type HandoffView } from './evacuation-handoffs.use-case';

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const Id = () => Param('id', ParseUUIDPipe);

function handoffView(h: HandoffView): EvacuationHandoffDto {
  return {
    id: h.id,
    orderId: h.orderId,
    version: h.version,
    change: h.lalert.change,
    changeName: h.lalert.changeName,
    status: h.lalert.status,
    level: h.lalert.level,
    levelName: h.lalert.levelName,
    districtNames: h.lalert.districts.map((d) => d.name),
    changedAt: h.lalert.changedAt,
    items: h.items,
    open: h.open,
    warnings: h.warnings,
    createdAt: h.createdAt,
  };
}

/** The record of one step as a download (`lalert-<order>-v<version>.<ext>`). */
function attachment(res: Response, h: HandoffView, ext: 'json' | 'csv', type: string): void {
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Content-Disposition', `attachment; filename="lalert-${h.orderId}-v${h.version}.${ext}"`);
}

function audited(req: AuditedRequest, h: HandoffView): EvacuationHandoffDto {
  req.auditTargetIds = [h.id, h.orderId];
  req.auditDetails = {
    version: h.version,
    items: h.items.map((i) => ({ target: i.target, state: i.state, note: i.note })),
  };
  return handoffView(h);
}

/**
 * The hand-off of order steps to what bousai cannot reach itself (docs/evacuation.md): the L-Alert record to enter
 * in the prefecture's system and the area mail to paste into the carriers' portals, with a checklist per step.
 * Viewers read; operators and above tick items off.
 */
@ApiTags('evacuation-handoffs')
@Controller('v1/municipalities/:municipalityId/evacuation-handoffs')
export class EvacuationHandoffsController {
  constructor(private readonly handoffs: EvacuationHandoffsUseCase) {}

  /** Records with a warning first, then those with open items, then the rest; newest first within each. */
  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [EvacuationHandoffDto] })
  async list(@Mid() municipalityId: string): Promise<EvacuationHandoffDto[]> {
    return (await this.handoffs.list(municipalityId)).map(handoffView);
  }

  /** The L-Alert record as JSON (times JST). */
  @Get(':id/lalert.json')
  @Roles(Role.Viewer)
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'the L-Alert record: { records: [...] }', schema: { type: 'object' } })
  async lalertJson(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const h = await this.handoffs.get(municipalityId, id);
    attachment(res, h, 'json', 'application/json');
    return lalertJson([h.lalert]);
  }

  /** The L-Alert record as CSV for the prefecture's system (UTF-8 with BOM). */
  @Get(':id/lalert.csv')
  @Roles(Role.Viewer)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'UTF-8 with BOM', schema: { type: 'string' } })
  async lalertCsv(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const h = await this.handoffs.get(municipalityId, id);
    attachment(res, h, 'csv', 'text/csv');
    return lalertCsv([h.lalert]);
  }

  /** The area mail drafts of the step (more than one when the districts had to be split). */
  @Get(':id/area-mail')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [AreaMailDraftDto] })
  async areaMail(@Mid() municipalityId: string, @Id() id: string): Promise<AreaMailDraftDto[]> {
    return (await this.handoffs.get(municipalityId, id)).areaMail;
  }

  /** `lalert` or `area_mail` done, by whom and when. */
  @Post(':id/items/:item/done')
  @Roles(Role.Operator)
  @Audit('evacuation_handoff.done', 'evacuation_handoff')
  @HttpCode(200)
  @ApiOkResponse({ type: EvacuationHandoffDto })
  async done(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Param('item') item: string,
    @Body() body: HandoffItemDoneDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationHandoffDto> {
    return audited(req, await this.handoffs.done(op, municipalityId, id, item, body.note));
  }

  /** The area mail deliberately not sent (L-Alert cannot be waived), with the reason. */
  @Post(':id/items/:item/waive')
  @Roles(Role.Operator)
  @Audit('evacuation_handoff.waive', 'evacuation_handoff')
  @HttpCode(200)
  @ApiOkResponse({ type: EvacuationHandoffDto })
  async waive(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Param('item') item: string,
    @Body() body: WaiveHandoffItemDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationHandoffDto> {
    return audited(req, await this.handoffs.waive(op, municipalityId, id, item, body.reason));
  }
}
