import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AlertStatus, OrderAction, Role } from '@bousai/domain';
import type { AlertEntity, StoredOrder, StoredProposal } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import {
  ChangeDistrictsDto,
  ChangeLevelDto,
  CreateEvacuationOrderDto,
  DistrictInForceDto,
  EvacuationOrderDetailDto,
  EvacuationOrderDto,
  EvacuationOrderListQueryDto,
  EvacuationOrderStepDto,
  EvacuationProposalDto,
  EvacuationProposalListQueryDto,
  OrderCommandDto,
  RetractOrderDto,
} from './evacuation.dto';
import {
  EvacuationOrdersUseCase,
  type OrderRequest,
  type OrderStepResult,
} from './evacuation-orders.use-case';
import {
  type DistrictInForceWithCounts,
  EvacuationQueriesUseCase,
  type OrderDetail,
} from './evacuation-queries.use-case';

/** `POST :id/<name>`: operators and above, audited as `evacuation_order.<name>`, answering with the step. */
const Command = (name: string) =>
  applyDecorators(
    Post(`:id/${name}`),
    Roles(Role.Operator),
    Audit(`evacuation_order.${name}`, 'evacuation_order'),
    HttpCode(200),
    ApiOkResponse({ type: EvacuationOrderStepDto }),
  );

function proposalView(p: StoredProposal): EvacuationProposalDto {
  return {
    id: p.id,
    orderId: p.orderId,
    kind: p.kind,
    hazard: p.hazard,
    level: p.level,
    districtCodes: p.districtCodes,
    sourceDocumentId: p.sourceDocumentId,
    createdAt: p.createdAt,
    dismissedBy: p.dismissedBy,
    dismissedByName: p.dismissedByName,
    dismissedAt: p.dismissedAt,
    appliedBy: p.appliedBy,
    appliedByName: p.appliedByName,
    appliedAt: p.appliedAt,
  };
}

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const Id = () => Param('id', ParseUUIDPipe);

function orderView(o: StoredOrder): EvacuationOrderDto {
  return {
    id: o.id,
    municipalityId: o.municipalityId,
    hazard: o.hazard,
    level: o.level,
    wholeMunicipality: o.wholeMunicipality,
    districts: o.districts.map((d) => ({
      areaId: d.areaId,
      code: d.code,
      name: d.name,
      nameKana: d.nameKana ?? null,
    })),
    status: o.status,
    createdBy: o.createdBy,
    createdByName: o.createdByName,
    issuedAt: o.issuedAt,
    liftedAt: o.liftedAt,
    retractedAt: o.retractedAt,
    version: o.version,
    source: o.source,
    sourceDocumentId: o.sourceDocumentId,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

function detailView({ order, counts, history, proposals }: OrderDetail): EvacuationOrderDetailDto {
  const base = orderView(order);
  return {
    ...base,
    districts: base.districts.map((d) => ({
      ...d,
      ...(counts.get(d.areaId) ?? { households: 0, people: 0 }),
    })),
    history: history.map(({ orderId: _o, alertId, alertStatus, ...h }) => ({
      ...h,
      alert: alertId && alertStatus ? { id: alertId, status: alertStatus } : null,
    })),
    proposals: proposals.map(proposalView),
  };
}

function inForceView(d: DistrictInForceWithCounts): DistrictInForceDto {
  return {
    areaId: d.areaId,
    districtCode: d.districtCode,
    name: d.name,
    nameKana: d.nameKana,
    level: d.level,
    hazard: d.orders[0].hazard,
    orders: d.orders,
    since: d.since,
    households: d.households,
    people: d.people,
  };
}

function alertView(a: AlertEntity): {
  id: string;
  status: AlertStatus;
  templateKey: string | null;
  severity: AlertEntity['severity'];
} {
  return { id: a.id, status: a.status, templateKey: a.templateKey, severity: a.severity };
}

function stepView(req: AuditedRequest, r: OrderStepResult): EvacuationOrderStepDto {
  req.auditTargetIds = [r.order.id, ...r.alerts.map((a) => a.id)];
  req.auditDetails = {
    versions: r.versions,
    status: r.order.status,
    level: r.order.level,
    alerts: r.alerts.map((a) => ({ id: a.id, status: a.status, templateKey: a.templateKey })),
  };
  return { order: orderView(r.order), alerts: r.alerts.map(alertView) };
}

/**
 * Evacuation orders (避難情報, docs/evacuation.md): viewers read; operators and above draft and command. Every
 * command carries the version the caller saw; each step that residents must hear of becomes an alert.
 */
@ApiTags('evacuation-orders')
@Controller('v1/municipalities/:municipalityId/evacuation-orders')
export class EvacuationOrdersController {
  constructor(
    private readonly commands: EvacuationOrdersUseCase,
    private readonly queries: EvacuationQueriesUseCase,
  ) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [EvacuationOrderDto] })
  async list(
    @Mid() municipalityId: string,
    @Query() q: EvacuationOrderListQueryDto,
  ): Promise<EvacuationOrderDto[]> {
    return (await this.queries.list(municipalityId, q.status)).map(orderView);
  }

  /** Per district: the highest level in force, the orders behind it, since when, and who lives there. */
  @Get('in-force')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [DistrictInForceDto] })
  async inForce(@Mid() municipalityId: string): Promise<DistrictInForceDto[]> {
    return (await this.queries.inForce(municipalityId)).map(inForceView);
  }

  /** JMA lowered or lifted what an issued order answers: proposals for a person to act on (lower, lift). */
  @Get('proposals')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [EvacuationProposalDto] })
  async proposals(
    @Mid() municipalityId: string,
    @Query() q: EvacuationProposalListQueryDto,
  ): Promise<EvacuationProposalDto[]> {
    return (await this.queries.proposalsFor(municipalityId, q.orderId)).map(proposalView);
  }

  @Get(':id')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: EvacuationOrderDetailDto })
  async get(@Mid() municipalityId: string, @Id() id: string): Promise<EvacuationOrderDetailDto> {
    return detailView(await this.queries.detail(municipalityId, id));
  }

  /** A draft: residents hear nothing until it is issued. */
  @Post()
  @Roles(Role.Operator)
  @Audit('evacuation_order.create', 'evacuation_order')
  @ApiCreatedResponse({ type: EvacuationOrderDto })
  async create(
    @Mid() municipalityId: string,
    @Body() body: CreateEvacuationOrderDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderDto> {
    const order = await this.commands.create(op, municipalityId, body);
    req.auditDetails = {
      hazard: order.hazard,
      level: order.level,
      wholeMunicipality: order.wholeMunicipality,
      districtCodes: order.districts.map((d) => d.code),
    };
    return orderView(order);
  }

  /** 発令. */
  @Command('issue')
  issue(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: OrderCommandDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return this.step(op, municipalityId, id, body, { action: OrderAction.Issue }, req);
  }

  /** 引上げ / 引下げ (on a draft: an edit). */
  @Command('level')
  level(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: ChangeLevelDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return this.step(
      op,
      municipalityId,
      id,
      body,
      { action: OrderAction.ChangeLevel, level: body.level },
      req,
    );
  }

  /** 対象地区追加 / 一部解除: the added districts hear an issue, the removed ones a lift. */
  @Command('districts')
  districts(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: ChangeDistrictsDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return this.step(
      op,
      municipalityId,
      id,
      body,
      { action: 'districts', add: body.add ?? [], remove: body.remove ?? [] },
      req,
    );
  }

  /** 解除: the danger is over. */
  @Command('lift')
  lift(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: OrderCommandDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return this.step(op, municipalityId, id, body, { action: OrderAction.Lift }, req);
  }

  /** 取消: it was issued by mistake. */
  @Command('retract')
  retract(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: RetractOrderDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return this.step(op, municipalityId, id, body, { action: OrderAction.Retract, reason: body.reason }, req);
  }

  /** A draft never issued. */
  @Command('discard')
  discard(
    @Mid() municipalityId: string,
    @Id() id: string,
    @Body() body: OrderCommandDto,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return this.step(op, municipalityId, id, body, { action: OrderAction.Discard }, req);
  }

  private async step(
    op: OperatorPrincipal,
    municipalityId: string,
    id: string,
    body: OrderCommandDto,
    request: OrderRequest,
    req: AuditedRequest,
  ): Promise<EvacuationOrderStepDto> {
    return stepView(req, await this.commands.command(op, municipalityId, id, body.expectedVersion, request));
  }
}

/**
 * The feeds' proposals against issued orders (docs/evacuation.md §6). Applying one is the normal level or lift
 * command on the order (the step marks it applied); an operator who decides against it dismisses it.
 */
@ApiTags('evacuation-orders')
@Controller('v1/municipalities/:municipalityId/evacuation-proposals')
export class EvacuationProposalsController {
  constructor(private readonly commands: EvacuationOrdersUseCase) {}

  @Post(':id/dismiss')
  @Roles(Role.Operator)
  @Audit('evacuation_proposal.dismiss', 'evacuation_proposal')
  @HttpCode(200)
  @ApiOkResponse({ type: EvacuationProposalDto })
  async dismiss(
    @Mid() municipalityId: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<EvacuationProposalDto> {
    const p = await this.commands.dismissProposal(op, municipalityId, id);
    req.auditTargetIds = [p.id, p.orderId];
    req.auditDetails = { kind: p.kind, level: p.level };
    return proposalView(p);
  }
}
