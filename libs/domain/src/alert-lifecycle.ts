import { AlertStatus, Role, roleSatisfies } from './enums';
import { DomainError, ErrorCode } from './errors';

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
const TRANSITIONS: Readonly<Record<AlertAction, { from: readonly AlertStatus[]; to: AlertStatus }>> = {
  [AlertAction.Submit]: { from: [AlertStatus.Draft], to: AlertStatus.PendingApproval },
  [AlertAction.Approve]: { from: [AlertStatus.PendingApproval], to: AlertStatus.Approved },
  [AlertAction.Send]: { from: [AlertStatus.Approved], to: AlertStatus.Dispatching },
  [AlertAction.Dispatch]: { from: [AlertStatus.Approved], to: AlertStatus.Dispatching },
  [AlertAction.Complete]: { from: [AlertStatus.Dispatching], to: AlertStatus.Sent },
  [AlertAction.Close]: { from: [AlertStatus.Sent], to: AlertStatus.Closed },
  [AlertAction.Cancel]: {
    from: [
      AlertStatus.Draft,
      AlertStatus.PendingApproval,
      AlertStatus.Approved,
      AlertStatus.Dispatching,
      AlertStatus.Sent,
    ],
    to: AlertStatus.Cancelled,
  },
  [AlertAction.Supersede]: { from: [AlertStatus.Dispatching, AlertStatus.Sent], to: AlertStatus.Superseded },
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
  return (
    status === AlertStatus.Cancelled || status === AlertStatus.Superseded || status === AlertStatus.Closed
  );
}
