import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ResponseChannel, Role, type SafetyStatus } from '@bousai/domain';
import { Public, ResidentAccess, Roles } from '../auth/access.decorators';
import {
  CurrentOperator,
  CurrentResident,
  type OperatorPrincipal,
  type ResidentCaller,
} from '../auth/principal';
import { Audit, NotAudited } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import {
  confirmPage,
  donePage,
  ONE_TAP_HEADERS,
  OUTCOME_LABELS,
  pageLanguage,
  pageText,
  SAFETY_LABELS,
  SAFETY_TITLE,
  SUPPORTER_TITLE,
} from './one-tap.page';
import { OneTapPageFilter } from './one-tap-page.filter';
import { HouseholdSafetyUseCase } from './household-safety.use-case';
import {
  type AnswerRequest,
  type RecordedSafetyAnswer,
  SafetyAnswersUseCase,
} from './safety-answers.use-case';
import { SafetyViewsUseCase } from './safety-views.use-case';
import {
  CreateSafetyRequestDto,
  FollowUpEntryDto,
  HouseholdMemberSafetyDto,
  OneTapQueryDto,
  OneTapSafetyPostDto,
  OneTapSupporterPostDto,
  OperatorSafetyResponseDto,
  ResidentSafetyAnswerDto,
  SafetyAnswerRecordedDto,
  SafetyRequestCreatedDto,
  SafetyRequestViewDto,
  SafetySummaryRowDto,
} from './safety.dto';

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const AlertId = () => Param('alertId', ParseUUIDPipe);

function recordedView(r: RecordedSafetyAnswer): SafetyAnswerRecordedDto {
  return { id: r.responseId, alertId: r.alertId, residentId: r.residentId, currentStatus: r.currentStatus };
}

/** Why the answer routes leave the interceptor out: each answer's audit row is written with it (`SafetyAnswerWriter`). */
const AUDITED_WITH_THE_ANSWER = 'audited in the statement that records the answer (SafetyAnswerWriter)';

/** The id of the request, for the answer's audit row (pino-http's, or the one the fast path gave). */
function requestOf(req: { id?: unknown }): AnswerRequest {
  return { requestId: typeof req.id === 'string' ? req.id : null };
}

/** A resident's answer from their app (also served before express: `safetyDeviceRoute`). */
export async function residentSafetyAnswer(
  answers: SafetyAnswersUseCase,
  me: ResidentCaller,
  alertId: string,
  body: ResidentSafetyAnswerDto,
  req: { id?: unknown },
): Promise<SafetyAnswerRecordedDto> {
  const via = body.via ?? ResponseChannel.App;
  return recordedView(await answers.answerAsResident(me, alertId, body, via, requestOf(req)));
}

/** Operators: ask, see answers, record answers taken by phone or visit, and work the follow-up list. */
@ApiTags('safety')
@Controller('v1/municipalities/:municipalityId/alerts/:alertId')
export class SafetyOperatorController {
  constructor(
    private readonly answers: SafetyAnswersUseCase,
    private readonly views: SafetyViewsUseCase,
  ) {}

  @Post('safety-requests')
  @Roles(Role.Operator)
  @Audit('safety.request', 'alert')
  @ApiCreatedResponse({ type: SafetyRequestCreatedDto })
  async ask(
    @Mid() mid: string,
    @AlertId() alertId: string,
    @Body() body: CreateSafetyRequestDto,
    @Req() req: AuditedRequest,
  ): Promise<SafetyRequestCreatedDto> {
    const result = await this.answers.ask(mid, alertId, body);
    req.auditDetails = { asked: result.asked, groups: body.groups ?? [], areas: body.areaIds?.length ?? 0 };
    return result;
  }

  @Get('safety-requests')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: [SafetySummaryRowDto] })
  summary(@Mid() mid: string, @AlertId() alertId: string): Promise<SafetySummaryRowDto[]> {
    return this.views.summary(mid, alertId);
  }

  @Get('safety-requests/:residentId')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: SafetyRequestViewDto })
  request(
    @Mid() mid: string,
    @AlertId() alertId: string,
    @Param('residentId', ParseUUIDPipe) residentId: string,
  ): Promise<SafetyRequestViewDto> {
    return this.views.request(mid, alertId, residentId);
  }

  @Post('safety-responses')
  @Roles(Role.Operator)
  @NotAudited(AUDITED_WITH_THE_ANSWER)
  @ApiCreatedResponse({ type: SafetyAnswerRecordedDto })
  async record(
    @Mid() mid: string,
    @AlertId() alertId: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: OperatorSafetyResponseDto,
    @Req() req: Request,
  ): Promise<SafetyAnswerRecordedDto> {
    return recordedView(
      await this.answers.recordByOperator(mid, alertId, op.operatorId, body, requestOf(req)),
    );
  }

  @Get('follow-up')
  @Roles(Role.Operator)
  @ApiOkResponse({
    type: [FollowUpEntryDto],
    description: 'silent 要援護者 past T3, and those supporters handed over',
  })
  followUp(@Mid() mid: string, @AlertId() alertId: string): Promise<FollowUpEntryDto[]> {
    return this.views.followUp(mid, alertId);
  }
}

/** Residents answer from the app or the PWA with their device credential. */
@ApiTags('resident')
@Controller('v1/resident/safety')
export class ResidentSafetyController {
  constructor(
    private readonly answers: SafetyAnswersUseCase,
    private readonly household: HouseholdSafetyUseCase,
  ) {}

  @Get(':alertId/household')
  @ResidentAccess()
  @ApiOkResponse({
    type: [HouseholdMemberSafetyDto],
    description: '家族の安否: the other members of the household this alert asked, each with their answer',
  })
  householdMembers(
    @AlertId() alertId: string,
    @CurrentResident() me: ResidentCaller,
  ): Promise<HouseholdMemberSafetyDto[]> {
    return this.household.members(me, alertId);
  }

  @Post(':alertId/household/:residentId')
  @ResidentAccess()
  @HttpCode(201)
  @NotAudited(AUDITED_WITH_THE_ANSWER)
  @ApiCreatedResponse({
    type: SafetyAnswerRecordedDto,
    description: "recorded as the member's answer, given by the caller on their behalf",
  })
  async answerForMember(
    @AlertId() alertId: string,
    @Param('residentId', ParseUUIDPipe) residentId: string,
    @CurrentResident() me: ResidentCaller,
    @Body() body: ResidentSafetyAnswerDto,
    @Req() req: Request,
  ): Promise<SafetyAnswerRecordedDto> {
    const via = body.via ?? ResponseChannel.App;
    return recordedView(await this.household.answer(me, alertId, residentId, body, via, requestOf(req)));
  }

  /** The usual, well-formed answer is served before express (`safetyDeviceRoute`); this stays its contract. */
  @Post(':alertId')
  @ResidentAccess()
  @HttpCode(201)
  @NotAudited(AUDITED_WITH_THE_ANSWER)
  @ApiCreatedResponse({ type: SafetyAnswerRecordedDto })
  answer(
    @AlertId() alertId: string,
    @CurrentResident() me: ResidentCaller,
    @Body() body: ResidentSafetyAnswerDto,
    @Req() req: Request,
  ): Promise<SafetyAnswerRecordedDto> {
    return residentSafetyAnswer(this.answers, me, alertId, body, req);
  }
}

/**
 * One-tap links (no login; the signed token is the authority). GET shows a confirm page and records nothing, so
 * mail scanners that prefetch links never answer for anyone; the page's button POSTs the token, which records.
 * Pages are in the resident's language (the supporter's browser's for supporter checks); errors are pages too.
 */
@ApiTags('safety')
@Controller('v1/safety')
@UseFilters(OneTapPageFilter)
export class OneTapSafetyController {
  constructor(
    private readonly answers: SafetyAnswersUseCase,
    private readonly views: SafetyViewsUseCase,
  ) {}

  @Get('answer')
  @Public()
  @ApiProduces('text/html')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: 'a page with one button that records the answer',
  })
  async confirmAnswer(
    @Query() q: OneTapQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const claims = this.answers.verifySafetyLink(q.token);
    const lang = pageLanguage(req, await this.views.residentLanguage(claims.residentId));
    res.set(ONE_TAP_HEADERS);
    const label = SAFETY_LABELS[lang][claims.answer as SafetyStatus];
    return confirmPage({
      lang,
      title: SAFETY_TITLE[lang],
      question: pageText(lang, 'safetyQuestion', label),
      action: '/v1/safety/answer',
      fields: { token: q.token, answer: claims.answer },
      button: pageText(lang, 'safetyButton', label),
    });
  }

  @Post('answer')
  @Public()
  @HttpCode(200)
  @NotAudited(AUDITED_WITH_THE_ANSWER)
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'the answer is recorded' })
  async answer(
    @Body() body: OneTapSafetyPostDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const recorded = await this.answers.answerByLink(body.token, body.answer, requestOf(req));
    const lang = pageLanguage(req, await this.views.residentLanguage(recorded.residentId));
    res.set(ONE_TAP_HEADERS);
    const label = SAFETY_LABELS[lang][recorded.currentStatus];
    return donePage(lang, SAFETY_TITLE[lang], pageText(lang, 'safetyDone', label));
  }

  @Get('supporter-check')
  @Public()
  @ApiProduces('text/html')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: "a page with one button that records the supporter's report",
  })
  confirmSupporterCheck(
    @Query() q: OneTapQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): string {
    const { outcome } = this.answers.verifySupporterLink(q.token);
    const lang = pageLanguage(req);
    res.set(ONE_TAP_HEADERS);
    const label = OUTCOME_LABELS[lang][outcome];
    return confirmPage({
      lang,
      title: SUPPORTER_TITLE[lang],
      question: pageText(lang, 'supporterQuestion', label),
      action: '/v1/safety/supporter-check',
      fields: { token: q.token, outcome },
      button: pageText(lang, 'supporterButton', label),
    });
  }

  @Post('supporter-check')
  @Public()
  @HttpCode(200)
  @Audit('escalation.supporter_check', 'escalation_task')
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' }, description: "the supporter's report is recorded" })
  async supporterCheck(
    @Body() body: OneTapSupporterPostDto,
    @Req() req: AuditedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const result = await this.answers.supporterCheck(body.token, body.outcome);
    const lang = pageLanguage(req);
    res.set(ONE_TAP_HEADERS);
    req.auditTargetIds = [result.taskId];
    if (result.kind === 'closed') {
      req.auditDetails = { outcome: 'already_closed' };
      return donePage(lang, SUPPORTER_TITLE[lang], pageText(lang, 'supporterClosed'));
    }
    req.auditDetails = { outcome: result.outcome, followUp: result.followUp };
    const label = OUTCOME_LABELS[lang][result.outcome];
    return donePage(
      lang,
      SUPPORTER_TITLE[lang],
      pageText(lang, result.followUp ? 'supporterFollowUp' : 'supporterDone', label),
    );
  }
}
