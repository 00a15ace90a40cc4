import { Injectable } from '@nestjs/common';
import {
  AlertAction,
  AlertSource,
  AlertStatus,
  type AlertTexts,
  assertMayApprove,
  assertNoErrors,
  assertTextShapes,
  Channel,
  DomainError,
  ErrorCode,
  fillPlaceholders,
  findTemplate,
  markDrill,
  Role,
  Severity,
  textProblems,
  validateTargeting,
  validateTexts,
} from '@bousai/domain';
import {
  type AlertEntity,
  AlertRepository,
  type NewAlert,
  type OutboxMessage,
  RosterRepository,
} from '@bousai/persistence';
import type { OperatorPrincipal } from '../auth/principal';
import { AlertChecks } from './alert-checks.service';
import type { CorrectAlertDto, CreateAlertDto } from './alerts.dto';

const DEFAULT_EXPIRY_MINUTES = 180;

function planMessage(alertId: string): OutboxMessage {
  return { topic: 'alert.plan', payload: { alertId }, jobId: `plan-${alertId}` };
}
function cancelMessage(alertId: string): OutboxMessage {
  return { topic: 'alert.cancel', payload: { alertId }, jobId: `cancel-${alertId}` };
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
    validateTargeting(body.targeting);
    const isDrill = body.isDrill ?? false;
    if (isDrill) texts = markDrill(texts);
    return {
      municipalityId: op.municipalityId,
      source: AlertSource.Operator,
      templateKey: template?.key ?? null,
      texts: texts,
      severity: body.severity ?? template?.severity ?? Severity.Moderate,
      targeting: { ...body.targeting },
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
    return this.alerts.create({
      ...draft,
      createdBy: op.operatorId,
      supersedesId: null,
      idempotencyKey: idempotencyKey ?? null,
    });
  }

  async submit(op: OperatorPrincipal, alertId: string): Promise<AlertEntity> {
    await this.recheck(op, alertId);
    return this.alerts.transition(op.municipalityId, alertId, AlertAction.Submit, () => ({
      patch: { submittedAt: new Date() },
    }));
  }

  /**
   * The roster may have changed since the alert was written (a district merged, a household moved away): every
   * step towards sending checks an operator's alert again. Alerts the feed rules made are not refused here — their
   * targeting comes from the telegram, which no operator can edit; the preview shows their problems.
   */
  private async recheck(op: OperatorPrincipal, alertId: string): Promise<void> {
    const alert = await this.alerts.get(op.municipalityId, alertId);
    if (alert.source !== (AlertSource.Operator as string)) return;
    await this.checks.assertSendable({
      municipalityId: alert.municipalityId,
      texts: alert.texts,
      targeting: alert.targeting,
      channels: alert.channels as Channel[],
    });
  }

  async approve(op: OperatorPrincipal, alertId: string): Promise<AlertEntity> {
    await this.recheck(op, alertId);
    const municipality = await this.roster.municipality(op.municipalityId);
    const singleStepKinds = (municipality.settings.singleStepKinds as string[] | undefined) ?? [];
    return this.alerts.transition(op.municipalityId, alertId, AlertAction.Approve, (alert) => {
      assertMayApprove({
        approverId: op.operatorId,
        approverRole: op.role as Role,
        createdBy: alert.createdBy,
        singleStepAllowed:
          (alert.isDrill && singleStepKinds.includes('drill')) ||
          (alert.templateKey !== null && singleStepKinds.includes(alert.templateKey)),
      });
      return { patch: { approvedBy: op.operatorId, approvedAt: new Date() } };
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
      if ([AlertStatus.Dispatching, AlertStatus.Sent].includes(current.status as AlertStatus)) return current;
    }
    await this.recheck(op, alertId);
    return this.alerts.inTransaction(async (em) => {
      const alert = await this.alerts.transition(
        op.municipalityId,
        alertId,
        AlertAction.Send,
        () => ({ patch: { dispatchedAt: new Date() }, outbox: [planMessage(alertId)] }),
        em,
      );
      if (alert.supersedesId) {
        // a correction going out supersedes the alert it corrects (if that one went out at all)
        const original = await this.alerts.get(op.municipalityId, alert.supersedesId);
        if ([AlertStatus.Dispatching, AlertStatus.Sent].includes(original.status as AlertStatus)) {
          await this.alerts.transition(op.municipalityId, original.id, AlertAction.Supersede, () => ({}), em);
        }
      }
      return alert;
    });
  }

  cancel(op: OperatorPrincipal, alertId: string): Promise<AlertEntity> {
    return this.alerts.transition(op.municipalityId, alertId, AlertAction.Cancel, (alert) => {
      const reached = [AlertStatus.Dispatching, AlertStatus.Sent].includes(alert.status as AlertStatus);
      return {
        patch: { cancelledBy: op.operatorId, cancelledAt: new Date() },
        // batches not yet sent stop on their own (they re-check the status); the fan-out also sends a
        // cancellation notice to everyone already reached
        outbox: reached ? [cancelMessage(alert.id)] : [],
      };
    });
  }

  /** A follow-up to the same audience and channels that supersedes `alertId` once it is sent. */
  async correct(op: OperatorPrincipal, alertId: string, body: CorrectAlertDto): Promise<AlertEntity> {
    const original = await this.alerts.get(op.municipalityId, alertId);
    if (![AlertStatus.Dispatching, AlertStatus.Sent].includes(original.status as AlertStatus)) {
      throw new DomainError(
        ErrorCode.IllegalTransition,
        `Only an alert that went out can be corrected; this one is ${original.status} (edit or cancel it instead)`,
      );
    }
    let texts = body.texts as AlertTexts;
    validateTexts(texts);
    if (original.isDrill) texts = markDrill(texts);
    assertNoErrors(textProblems(texts, original.channels as Channel[]));
    const { alert } = await this.alerts.create({
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
      supersedesId: original.id,
      idempotencyKey: null,
      expiresAt: original.expiresAt,
    });
    return alert;
  }
}
