import { Injectable } from '@nestjs/common';
import { AlertLifecycle } from '@bousai/alerts';
import {
  type Actor,
  AlertAction,
  AlertSource,
  type AlertTexts,
  assertNoErrors,
  assertTextShapes,
  Channel,
  decideCorrection,
  fillPlaceholders,
  findTemplate,
  IN_FLIGHT,
  isIn,
  markDrill,
  parseTargeting,
  Severity,
  textProblems,
  validateTexts,
} from '@bousai/domain';
import { type AlertEntity, AlertRepository, type NewAlert, RosterRepository } from '@bousai/persistence';
import type { OperatorPrincipal } from '../auth/principal';
import { AlertChecks } from './alert-checks.service';
import type { CorrectAlertDto, CreateAlertDto } from './alerts.dto';

const DEFAULT_EXPIRY_MINUTES = 180;

function actorOf(op: OperatorPrincipal): Actor {
  return { kind: 'operator', id: op.operatorId, role: op.role };
}

/** An alert as a create request describes it, before it is stored. */
export type DraftAlert = Pick<
  NewAlert,
  | 'municipalityId'
  | 'source'
  | 'templateKey'
  | 'severity'
  | 'targeting'
  | 'isDrill'
  | 'safetyRequest'
  | 'expiresAt'
> & { texts: AlertTexts; channels: Channel[] };

/** Compose, approve (two-person rule), send, cancel and correct alerts. */
@Injectable()
export class AlertLifecycleUseCase {
  constructor(
    private readonly lifecycle: AlertLifecycle,
    private readonly alerts: AlertRepository,
    private readonly roster: RosterRepository,
    private readonly checks: AlertChecks,
  ) {}

  /** The alert a create request describes, before it is stored (the preview shows it without storing it). */
  compose(op: OperatorPrincipal, body: CreateAlertDto): DraftAlert {
    const template = body.templateKey ? findTemplate(body.templateKey) : undefined;
    let texts = { ...(template?.texts ?? {}), ...((body.texts ?? {}) as AlertTexts) } as AlertTexts;
    assertTextShapes(texts);
    texts = fillPlaceholders(texts, body.placeholders ?? {});
    validateTexts(texts);
    const targeting = parseTargeting(body.targeting);
    const isDrill = body.isDrill ?? false;
    if (isDrill) texts = markDrill(texts);
    return {
      municipalityId: op.municipalityId,
      source: AlertSource.Operator,
      templateKey: template?.key ?? null,
      texts: texts,
      severity: body.severity ?? template?.severity ?? Severity.Moderate,
      targeting,
      channels: body.channels ?? template?.channels ?? [Channel.Receiver, Channel.Fcm],
      isDrill,
      safetyRequest: body.safetyRequest ?? template?.safetyRequest ?? false,
      expiresAt: new Date(Date.now() + (body.expiresInMinutes ?? DEFAULT_EXPIRY_MINUTES) * 60_000),
    };
  }

  async create(
    op: OperatorPrincipal,
    body: CreateAlertDto,
    idempotencyKey: string | undefined,
  ): Promise<{ alert: AlertEntity; created: boolean }> {
    const draft = this.compose(op, body);
    await this.checks.assertSendable(draft);
    return this.lifecycle.create({
      ...draft,
      createdBy: op.operatorId,
      supersedesId: null,
      idempotencyKey: idempotencyKey ?? null,
    });
  }

  async submit(op: OperatorPrincipal, alertId: string): Promise<AlertEntity> {
    await this.recheck(op, alertId);
    return this.lifecycle.apply(op.municipalityId, alertId, { action: AlertAction.Submit });
  }

  /**
   * The roster may have changed since the alert was written (a district merged, a household moved away): every
   * step towards sending checks an operator's alert again. Alerts the feed rules made are not refused here — their
   * targeting comes from the telegram, which no operator can edit; the preview shows their problems.
   */
  private async recheck(op: OperatorPrincipal, alertId: string): Promise<void> {
    const alert = await this.alerts.get(op.municipalityId, alertId);
    if (alert.source !== AlertSource.Operator) return;
    await this.checks.assertSendable({
      municipalityId: alert.municipalityId,
      texts: alert.texts,
      targeting: alert.targeting,
      channels: alert.channels,
    });
  }

  async approve(op: OperatorPrincipal, alertId: string): Promise<AlertEntity> {
    await this.recheck(op, alertId);
    const municipality = await this.roster.municipality(op.municipalityId);
    const singleStepKinds = (municipality.settings.singleStepKinds as string[] | undefined) ?? [];
    return this.lifecycle.apply(op.municipalityId, alertId, {
      action: AlertAction.Approve,
      actor: actorOf(op),
      singleStepKinds,
    });
  }

  /**
   * Hands the alert to the fan-out: dispatching + an outbox row in one transaction. With an Idempotency-Key, a
   * repeated send of an alert already on its way answers with its state instead of a conflict.
   */
  async send(
    op: OperatorPrincipal,
    alertId: string,
    idempotencyKey: string | undefined,
  ): Promise<AlertEntity> {
    if (idempotencyKey) {
      const current = await this.alerts.get(op.municipalityId, alertId);
      if (isIn(IN_FLIGHT, current.status)) return current;
    }
    await this.recheck(op, alertId);
    // a correction going out supersedes the alert it corrects, in the same step (the lifecycle decides it)
    return this.lifecycle.apply(op.municipalityId, alertId, { action: AlertAction.Send });
  }

  cancel(op: OperatorPrincipal, alertId: string): Promise<AlertEntity> {
    // batches not yet sent stop on their own (they re-check the status); a cancel of an alert that went out
    // announces `alert.cancel`, whose fan-out sends a cancellation notice to everyone already reached
    return this.lifecycle.apply(op.municipalityId, alertId, {
      action: AlertAction.Cancel,
      actor: actorOf(op),
    });
  }

  /** A follow-up to the same audience and channels that supersedes `alertId` once it is sent. */
  async correct(op: OperatorPrincipal, alertId: string, body: CorrectAlertDto): Promise<AlertEntity> {
    const original = await this.alerts.get(op.municipalityId, alertId);
    const { supersedesId } = decideCorrection(original, 'refuse');
    let texts = body.texts as AlertTexts;
    validateTexts(texts);
    if (original.isDrill) texts = markDrill(texts);
    assertNoErrors(textProblems(texts, original.channels));
    const { alert } = await this.lifecycle.create({
      municipalityId: op.municipalityId,
      source: original.source,
      templateKey: original.templateKey,
      texts: texts,
      severity: body.severity ?? original.severity,
      targeting: original.targeting,
      channels: original.channels,
      isDrill: original.isDrill,
      safetyRequest: original.safetyRequest,
      createdBy: op.operatorId,
      supersedesId,
      idempotencyKey: null,
      expiresAt: original.expiresAt,
    });
    return alert;
  }
}
