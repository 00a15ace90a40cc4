import { IN_FLIGHT } from './alert-lifecycle';
import { type AlertStatus, EscalationOutcome, EscalationStep, SafetyStatus } from './enums';

/**
 * The escalation ladder's decisions (issue 6 item 3), for the fanout's scanner and the api's supporter answers;
 * `EscalationRepository` stores and loads by them.
 */

/** Requests older than this are no longer escalated: the whole ladder fits in a day (see `escalationTimings`). */
export const ESCALATION_WINDOW_HOURS = 24;

/** Alerts whose silent 要援護者 are escalated: those on their way out or out. */
export const ESCALATING_ALERT_STATUSES: readonly AlertStatus[] = IN_FLIGHT;

/** The rungs in the order a person climbs them, each once. */
export const ESCALATION_RUNGS: readonly EscalationStep[] = [
  EscalationStep.Resend,
  EscalationStep.Supporter,
  EscalationStep.StaffFollowUp,
];

/**
 * A rung's number (`safety_request.escalation_rung`): 0 before the first; a person reaches a rung only from a
 * lower one, so no rung starts twice. A closed ladder (answered, or a supporter reported) stands at the last.
 */
export function escalationRung(step: EscalationStep): number {
  return ESCALATION_RUNGS.indexOf(step) + 1;
}

/** The number of the last rung, where a closed ladder stands. */
export const CLOSED_LADDER_RUNG = ESCALATION_RUNGS.length;

/** What a supporter who checked on the person found, as the person's answer; null (`not_home`): no answer. */
export function supporterFinding(outcome: EscalationOutcome): SafetyStatus | null {
  switch (outcome) {
    case EscalationOutcome.Safe:
      return SafetyStatus.Safe;
    case EscalationOutcome.NeedsHelp:
      return SafetyStatus.NeedHelp;
    case EscalationOutcome.NotHome:
      return null;
  }
}

/** Whether a supporter's report puts the person on the staff follow-up list at once (anything but `safe`). */
export function supporterReportNeedsFollowUp(outcome: EscalationOutcome): boolean {
  return outcome !== EscalationOutcome.Safe;
}
