import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import {
  FeedRuleDto,
  FeedRuleListDto,
  FeedRulesDryRunDto,
  FeedRulesDryRunResultDto,
  FeedRuleViewDto,
  ReplaceFeedRulesDto,
} from './feed-rules.dto';
import { type DryRunResult, type FeedRuleView, FeedRulesUseCase } from './feed-rules.use-case';

const view = (v: FeedRuleView): FeedRuleViewDto => ({
  rule: v.rule,
  updatedBy: v.updatedBy,
  updatedAt: v.updatedAt,
});

function dryRunView(r: DryRunResult): FeedRulesDryRunResultDto {
  return {
    message: {
      format: r.message.format,
      kind: r.message.kind,
      status: r.message.status ? { ...r.message.status } : null,
      reportedAt: r.message.reportedAt,
      eventKeys: r.message.eventKeys,
    },
    revision: { ...r.revision },
    decisions: r.decisions.map((d) => ({ ...d })),
    plans: r.plans.map((p) => ({ ...p })),
  };
}

const Mid = () => Param('municipalityId', ParseUUIDPipe);

export const FEED_RULES_PATH = 'v1/municipalities/:municipalityId/feed-rules';

/** A municipality's feed rules (message → alert): listed for staff, edited by admins, tried with a dry-run. */
@ApiTags('feed-rules')
@Controller(FEED_RULES_PATH)
export class FeedRulesController {
  constructor(private readonly feedRules: FeedRulesUseCase) {}

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: FeedRuleListDto })
  async list(@Mid() mid: string): Promise<FeedRuleListDto> {
    return { items: (await this.feedRules.list(mid)).map(view) };
  }

  @Put()
  @Roles(Role.Admin)
  @Audit('feed_rule.replace_all', 'feed_rule')
  @ApiOkResponse({ type: FeedRuleListDto })
  async replaceAll(
    @Mid() mid: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: ReplaceFeedRulesDto,
    @Req() req: AuditedRequest,
  ): Promise<FeedRuleListDto> {
    const items = await this.feedRules.replaceAll(mid, body.rules, op.operatorId);
    req.auditDetails = { ruleIds: items.map((i) => i.rule.id) };
    return { items: items.map(view) };
  }

  @Post()
  @Roles(Role.Admin)
  @Audit('feed_rule.create', 'feed_rule')
  @ApiCreatedResponse({ type: FeedRuleViewDto })
  async add(
    @Mid() mid: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: FeedRuleDto,
    @Req() req: AuditedRequest,
  ): Promise<FeedRuleViewDto> {
    const created = await this.feedRules.add(mid, { ...body }, op.operatorId);
    req.auditDetails = { ruleId: created.rule.id };
    return view(created);
  }

  @Put(':ruleId')
  @Roles(Role.Admin)
  @Audit('feed_rule.update', 'feed_rule')
  @ApiOkResponse({ type: FeedRuleViewDto })
  async update(
    @Mid() mid: string,
    @Param('ruleId') ruleId: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: FeedRuleDto,
    @Req() req: AuditedRequest,
  ): Promise<FeedRuleViewDto> {
    req.auditDetails = { ruleId };
    return view(await this.feedRules.update(mid, ruleId, { ...body }, op.operatorId));
  }

  @Delete(':ruleId')
  @Roles(Role.Admin)
  @HttpCode(204)
  @Audit('feed_rule.delete', 'feed_rule')
  @ApiNoContentResponse({ description: 'deleted' })
  async remove(
    @Mid() mid: string,
    @Param('ruleId') ruleId: string,
    @Req() req: AuditedRequest,
  ): Promise<void> {
    req.auditDetails = { ruleId };
    await this.feedRules.remove(mid, ruleId);
  }

  /** Writes nothing: the audit row records only that a dry-run was made. */
  @Post('dry-run')
  @Roles(Role.Operator)
  @HttpCode(200)
  @Audit('feed_rule.dry_run', 'feed_rule')
  @ApiConsumes('application/json', 'application/xml')
  @ApiBody({ type: FeedRulesDryRunDto, description: 'JSON `{ document, rules? }`, or the raw XML document' })
  @ApiOkResponse({ type: FeedRulesDryRunResultDto })
  async dryRun(@Mid() mid: string, @Req() req: AuditedRequest): Promise<FeedRulesDryRunResultDto> {
    const body: unknown = req.body;
    if (typeof body === 'string') return dryRunView(await this.feedRules.dryRun(mid, body, undefined));
    const { document, rules } = (body ?? {}) as { document?: unknown; rules?: unknown };
    return dryRunView(await this.feedRules.dryRun(mid, document, rules));
  }
}
