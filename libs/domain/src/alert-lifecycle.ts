import type { AlertTexts } from './alert-content';
import { cancellationNoticeTexts } from './cancellation-notice';
import { type AlertSource, AlertStatus, type Channel, Role, roleSatisfies, type Severity } from './enums';
import { DomainError, ErrorCode } from './errors';
import type { AlertEvacuationMessage } from './evacuation/receiver-announcement';
import type { Targeting } from './targeting';

export enum AlertAction {
  Submit = 'submit',
  Approve = 'approve',
  Send = 'send',
  Dispatch = 'dispatch',
  Complete = 'complete',
  Close = 'close',
  Cancel = 'cancel',
  Supersede = 'supersede',
}

/**
 * The lifecycle: draft → pending_approval → approved → dispatching → sent → closed, with cancel allowed until the
 * alert is closed and supersede (a correction replaced it) once it has gone out. `send` moves an approved alert to
 * dispatching (the fan-out takes over); `complete` is the fan-out's own transition when every batch is done.
 */
/** An alert that went out: handed to the fan-out, or sent. Only these are corrected, superseded or noticed. */
export const IN_FLIGHT: readonly AlertStatus[] = [AlertStatus.Dispatching, AlertStatus.Sent];
/** Every status before closed: an alert in one of them may still be cancelled. */
export const CANCELLABLE: readonly AlertStatus[] = [
  AlertStatus.Draft,
  AlertStatus.PendingApproval,
  AlertStatus.Approved,
  ...IN_FLIGHT,
];
/** The final statuses in which nothing more is sent. */
export const STOPPED: readonly AlertStatus[] = [
  AlertStatus.Cancelled,
  AlertStatus.Superseded,
  AlertStatus.Closed,
];

/** Whether `status` is one of `set` (stored statuses are plain strings). */
export function isIn(set: readonly AlertStatus[], status: string): boolean {
  return (set as readonly string[]).includes(status);
}

const TRANSITIONS: Readonly<Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus }>> = {
  [AlertAction.Submit]: { from: [AlertStatus.Draft], to: AlertStatus.PendingApproval },
  [AlertAction.Approve]: { from: [AlertStatus.PendingApproval], to: AlertStatus.Approved },
  [AlertAction.Send]: { from: [AlertStatus.Approved], to: AlertStatus.Dispatching },
  [AlertAction.Dispatch]: { from: [AlertStatus.Approved], to: AlertStatus.Dispatching },
  [AlertAction.Complete]: { from: [AlertStatus.Dispatching], to: AlertStatus.Sent },
  [AlertAction.Close]: { from: [AlertStatus.Sent], to: AlertStatus.Closed },
  [AlertAction.Cancel]: { from: CANCELLABLE, to: AlertStatus.Cancelled },
  [AlertAction.Supersede]: { from: IN_FLIGHT, to: AlertStatus.Superseded },
};

/** The status after `action`, or a 409-mapped `IllegalTransition` naming what was attempted and from where. */
export function nextStatus(current: AlertStatus, action: AlertAction): AlertStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    throw new DomainError(ErrorCode.IllegalTransition, `Cannot ${action} an alert that is ${current}`, {
      action,
      from: current,
      allowedFrom: rule.from,
    });
  }
  return rule.to;
}

/**
 * Two-person rule: an approver other than the creator approves. An admin may approve their own alert only for
 * kinds the municipality configured as single-step (e.g. J-ALERT relays, drills).
 */
export function assertMayApprove(input: {
  approverId: string;
  approverRole: Role;
  createdBy: string | null;
  singleStepAllowed: boolean;
}): void {
  if (!roleSatisfies(input.approverRole, Role.Approver)) {
    throw new DomainError(ErrorCode.Forbidden, 'Only approvers and admins approve alerts');
  }
  if (input.createdBy !== null && input.createdBy === input.approverId) {
    if (!(input.singleStepAllowed && input.approverRole === Role.Admin)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'Two-person rule: an alert must be approved by someone other than its creator',
      );
    }
  }
}

/** Statuses in which the fan-out must not send anything more. */
export function stopsSending(status: AlertStatus): boolean {
  return STOPPED.includes(status);
}

/**
 * The jobs the lifecycle announces, by the wire names of their contracts in libs/queue (`PlanAlertJob`,
 * `CancelAlertJob`); the outbox row is built from the contract, never from these names alone.
 */
export enum AlertJob {
  Plan = 'alert.plan',
  Cancel = 'alert.cancel',
}

export interface AnnouncedJob {
  job: AlertJob;
  payload: { alertId: string };
}

/**
 * The jobs a move of alert `alertId` from `from` (null: the alert is new) to `to` announces: entering
 * dispatching hands it to the planner; a cancel of an alert that went out stops its batches and notifies everyone
 * it reached. Nothing else is announced.
 */
export function announcedJobs(alertId: string, from: AlertStatus | null, to: AlertStatus): AnnouncedJob[] {
  if (to === AlertStatus.Dispatching && from !== AlertStatus.Dispatching) {
    return [{ job: AlertJob.Plan, payload: { alertId } }];
  }
  if (to === AlertStatus.Cancelled && from !== null && isIn(IN_FLIGHT, from)) {
    return [{ job: AlertJob.Cancel, payload: { alertId } }];
  }
  return [];
}

/** Who acts: an operator (with their role, for the two-person rule) or the system (feed rules, the fan-out). */
export type Actor = { kind: 'operator'; id: string; role: Role } | { kind: 'system' };

export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system' });

/** What the lifecycle needs to know of an alert to decide. */
export interface AlertState {
  id: string;
  status: AlertStatus;
  createdBy: string | null;
  isDrill: boolean;
  templateKey: string | null;
  /** The alert this one corrects, if it is a correction. */
  supersedesId: string | null;
}

/** The commands on an existing alert. `singleStepKinds`: the municipality's `settings.singleStepKinds`. */
export type LifecycleCommand =
  | { action: AlertAction.Submit }
  | { action: AlertAction.Approve; actor: Actor; singleStepKinds: readonly string[] }
  | { action: AlertAction.Send }
  | { action: AlertAction.Cancel; actor: Actor }
  | { action: AlertAction.Supersede };

/** The fields a transition stamps. */
export interface AlertChanges {
  submittedAt?: Date;
  approvedBy?: string | null;
  approvedAt?: Date;
  dispatchedAt?: Date;
  cancelledBy?: string | null;
  cancelledAt?: Date;
}

export interface LifecycleDecision {
  status: AlertStatus;
  changes: AlertChanges;
  jobs: AnnouncedJob[];
  /** Sending a correction: the alert it corrects, to supersede with {@link decideSupersede} in the same step. */
  supersedes: string | null;
}

function actorId(actor: Actor): string | null {
  return actor.kind === 'operator' ? actor.id : null;
}

/**
 * The one decision of every command on an existing alert: the new status (or `IllegalTransition`), the fields it
 * stamps and the jobs it announces. Approving applies the two-person rule to an operator; the system approves
 * what its feed rules send on their own.
 */
export function decide(alert: AlertState, command: LifecycleCommand, now: Date): LifecycleDecision {
  const from = alert.status;
  const status = nextStatus(from, command.action);
  const decision = (changes: AlertChanges, supersedes: string | null = null): LifecycleDecision => ({
    status,
    changes,
    jobs: announcedJobs(alert.id, from, status),
    supersedes,
  });
  switch (command.action) {
    case AlertAction.Submit:
      return decision({ submittedAt: now });
    case AlertAction.Approve: {
      const { actor, singleStepKinds } = command;
      if (actor.kind === 'operator') {
        assertMayApprove({
          approverId: actor.id,
          approverRole: actor.role,
          createdBy: alert.createdBy,
          singleStepAllowed:
            (alert.isDrill && singleStepKinds.includes('drill')) ||
            (alert.templateKey !== null && singleStepKinds.includes(alert.templateKey)),
        });
      }
      return decision({ approvedBy: actorId(actor), approvedAt: now });
    }
    case AlertAction.Send:
      return decision({ dispatchedAt: now }, alert.supersedesId);
    case AlertAction.Cancel:
      return decision({ cancelledBy: actorId(command.actor), cancelledAt: now });
    case AlertAction.Supersede:
      return decision({});
  }
}

/**
 * What sending a correction does to the alert it corrects: superseded if that one went out, left alone (null)
 * otherwise — a correction of an alert nobody was sent replaces nothing.
 */
export function decideSupersede(original: AlertState, now: Date): LifecycleDecision | null {
  if (!isIn(IN_FLIGHT, original.status)) return null;
  return decide(original, { action: AlertAction.Supersede }, now);
}

/**
 * How a correction (訂正) relates to the alert it corrects. One that went out is superseded by the correction
 * once that is sent (`supersedes`). One that did not go out yet: an operator is told to edit or cancel it instead
 * (`IllegalTransition`); the feed rules cancel it and issue the corrected alert on its own (`replaces`).
 */
export type Correction = { kind: 'supersedes'; supersedesId: string } | { kind: 'replaces' };
export function decideCorrection(
  original: AlertState,
  whenNotOut: 'refuse',
): Extract<Correction, { kind: 'supersedes' }>;
export function decideCorrection(original: AlertState, whenNotOut: 'replace'): Correction;
export function decideCorrection(original: AlertState, whenNotOut: 'refuse' | 'replace'): Correction {
  if (isIn(IN_FLIGHT, original.status)) return { kind: 'supersedes', supersedesId: original.id };
  if (whenNotOut === 'replace') return { kind: 'replaces' };
  throw new DomainError(
    ErrorCode.IllegalTransition,
    `Only an alert that went out can be corrected; this one is ${original.status} (edit or cancel it instead)`,
    { action: 'correct', from: original.status, allowedFrom: IN_FLIGHT },
  );
}

/** The alert a cancellation notice withdraws, as the notice needs it. */
export interface CancelledAlert {
  id: string;
  municipalityId: string;
  status: AlertStatus;
  source: AlertSource;
  severity: Severity;
  texts: Readonly<Record<string, { title: string; body: string } | undefined>>;
  targeting: Targeting;
  channels: readonly Channel[];
  isDrill: boolean;
  expiresAt: Date | null;
  cancelledBy: string | null;
  /** Set when the cancelled alert is itself a cancellation notice. */
  cancelsAlertId: string | null;
}

/** What a new alert is made of, whoever creates it. */
export interface AlertContent {
  municipalityId: string;
  source: AlertSource;
  templateKey: string | null;
  texts: AlertTexts;
  severity: Severity;
  targeting: Targeting;
  channels: Channel[];
  isDrill: boolean;
  safetyRequest: boolean;
  createdBy: string | null;
  expiresAt: Date | null;
  /** Set on the alert of an evacuation order step: its message kind and level (receivers' lead-in and priority). */
  evacuationMessage?: AlertEvacuationMessage | null;
}

/** A new alert the lifecycle creates on its own, straight into `status`. */
export interface SystemAlert extends AlertContent {
  templateKey: string;
  /** Makes creating it idempotent: a replay finds the alert the first run made. */
  idempotencyKey: string;
  expiresAt: Date;
  cancelsAlertId: string;
  status: AlertStatus;
}

export const CANCELLATION_NOTICE_TEMPLATE = 'cancellation_notice';

/** A notice must outlive the alert it withdraws by enough to reach devices that were offline for a while. */
const MIN_NOTICE_TTL_MS = 3_600_000;

/**
 * The cancellation notice (取消) of a cancelled alert that possibly reached someone: a system alert of its own,
 * created straight into dispatching (announcing its plan), so it goes through the same plan, batches, retries and
 * records as any alert — to the same channels and audience, in the language each endpoint got the original in.
 * None for an alert that reached nobody, that is not cancelled, or that is itself a notice (withdrawing a notice
 * sends no notice of the notice).
 */
export function decideCancellationNotice(
  original: CancelledAlert,
  input: { reached: boolean; now: Date },
): SystemAlert | null {
  if (original.status !== AlertStatus.Cancelled) return null;
  if (original.cancelsAlertId !== null || !input.reached) return null;
  const originalExpiry = original.expiresAt?.getTime() ?? 0;
  return {
    municipalityId: original.municipalityId,
    source: original.source,
    templateKey: CANCELLATION_NOTICE_TEMPLATE,
    texts: cancellationNoticeTexts(original.texts, original.isDrill),
    // the notice must be as prominent as what it withdraws: people may be evacuating because of it
    severity: original.severity,
    targeting: original.targeting,
    channels: [...original.channels],
    isDrill: original.isDrill,
    safetyRequest: false,
    createdBy: original.cancelledBy,
    idempotencyKey: `fanout-cancellation-notice-${original.id}`,
    expiresAt: new Date(Math.max(originalExpiry, input.now.getTime() + MIN_NOTICE_TTL_MS)),
    cancelsAlertId: original.id,
    status: AlertStatus.Dispatching,
  };
}
