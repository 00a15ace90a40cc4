import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, ErrorCode, Role } from '@bousai/domain';
import type { AlertEntity } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import { AlertLifecycleUseCase } from './alert-lifecycle.use-case';
import { AlertPreviewDto } from './alert-preview.dto';
import { AlertQueriesUseCase } from './alert-queries.use-case';
import { type AlertPreview, AlertPreviewUseCase } from './alert-preview.use-case';
import { AlertListQuery, CorrectAlertDto, CreateAlertDto } from './alerts.dto';
import { ALERT_VIEW_MODELS, AlertPage, AlertView } from './alert-view.dto';

const Mid = () => Param('municipalityId', ParseUUIDPipe);
const Id = () => Param('alertId', ParseUUIDPipe);

function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9_.:-]{8,100}$/.test(value)) {
    throw new DomainError(
      ErrorCode.ValidationFailed,
      'Idempotency-Key must be 8–100 characters of [A-Za-z0-9_.:-]',
    );
  }
  return value;
}

const IdempotencyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'repeat-safe retries: same key, same result',
  });

@ApiTags('alerts')
@ApiExtraModels(...ALERT_VIEW_MODELS)
@Controller('v1/municipalities/:municipalityId/alerts')
export class AlertsController {
  constructor(
    private readonly lifecycle: AlertLifecycleUseCase,
    private readonly previews: AlertPreviewUseCase,
    private readonly queries: AlertQueriesUseCase,
  ) {}

  @Post()
  @Roles(Role.Operator)
  @Audit('alert.create', 'alert')
  @IdempotencyHeader()
  @ApiCreatedResponse({ type: AlertView, description: 'a new draft' })
  @ApiOkResponse({
    type: AlertView,
    description: 'the alert an earlier request with this Idempotency-Key made',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'ALERT_REJECTED: details.problems names every unknown district, household, JMA code and bad text',
  })
  async create(
    @Mid() _mid: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: CreateAlertDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AlertView> {
    const { alert, created } = await this.lifecycle.create(op, body, idempotencyKey(key));
    res.status(created ? 201 : 200);
    return this.named(alert);
  }

  /** What an alert with this body would do if sent now; nothing is stored. */
  @Post('preview')
  @Roles(Role.Operator)
  @HttpCode(200)
  @ApiOkResponse({ type: AlertPreviewDto })
  preview(
    @Mid() _mid: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: CreateAlertDto,
  ): Promise<AlertPreview> {
    return this.previews.ofRequest(op, body);
  }

  @Get(':alertId/preview')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: AlertPreviewDto })
  previewStored(
    @Mid() _mid: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<AlertPreview> {
    return this.previews.ofAlert(op, id);
  }

  @Get()
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: AlertPage })
  async list(@Mid() mid: string, @Query() q: AlertListQuery): Promise<AlertPage> {
    return AlertPage.of(await this.queries.list(mid, q));
  }

  @Get(':alertId')
  @Roles(Role.Viewer)
  @ApiOkResponse({ type: AlertView })
  async get(@Mid() mid: string, @Id() id: string): Promise<AlertView> {
    return AlertView.of(await this.queries.get(mid, id));
  }

  @Post(':alertId/submit')
  @Roles(Role.Operator)
  @HttpCode(200)
  @Audit('alert.submit', 'alert')
  @ApiOkResponse({ type: AlertView })
  async submit(
    @Mid() _mid: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<AlertView> {
    return this.named(await this.lifecycle.submit(op, id));
  }

  @Post(':alertId/approve')
  @Roles(Role.Approver)
  @HttpCode(200)
  @Audit('alert.approve', 'alert')
  @ApiOkResponse({ type: AlertView })
  async approve(
    @Mid() _mid: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<AlertView> {
    return this.named(await this.lifecycle.approve(op, id));
  }

  @Post(':alertId/send')
  @Roles(Role.Operator)
  @HttpCode(200)
  @Audit('alert.send', 'alert')
  @IdempotencyHeader()
  @ApiOkResponse({ type: AlertView })
  async send(
    @Mid() _mid: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<AlertView> {
    return this.named(await this.lifecycle.send(op, id, idempotencyKey(key)));
  }

  @Post(':alertId/cancel')
  @Roles(Role.Operator)
  @HttpCode(200)
  @Audit('alert.cancel', 'alert')
  @ApiOkResponse({ type: AlertView })
  async cancel(
    @Mid() _mid: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
  ): Promise<AlertView> {
    return this.named(await this.lifecycle.cancel(op, id));
  }

  @Post(':alertId/correct')
  @Roles(Role.Operator)
  @Audit('alert.correct', 'alert')
  @ApiCreatedResponse({ type: AlertView, description: 'the correction, superseding the alert' })
  async correct(
    @Mid() _mid: string,
    @Id() id: string,
    @CurrentOperator() op: OperatorPrincipal,
    @Body() body: CorrectAlertDto,
  ): Promise<AlertView> {
    return this.named(await this.lifecycle.correct(op, id, body));
  }

  /** The alert as the command left it, with the names of the operators who moved it. */
  private async named(alert: AlertEntity): Promise<AlertView> {
    return AlertView.of(await this.queries.withOperators(alert));
  }
}
