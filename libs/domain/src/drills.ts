import { EscalationOutcome, EscalationState, EscalationStep } from './enums';
import type { SafetyGroup } from './safety';

/** 訓練 (issue 6 item 5): scheduling, targets and what a report says about a silent person. */

export enum DrillScheduleState {
  Scheduled = 'scheduled',
  Launched = 'launched',
  Cancelled = 'cancelled',
  Failed = 'failed',
}

/** The shares of the asked at which a report gives the time from launch (確認率の推移). */
export const CONFIRMATION_MILESTONES = [0.25, 0.5, 0.75, 0.9, 1] as const;

/** A report row's group: one of the safety groups, or `all` for everyone asked. */
export type DrillReportGroup = SafetyGroup | 'all';
export const DRILL_REPORT_GROUPS: readonly DrillReportGroup[] = [
  'all',
  'needs_assistance',
  'staff',
  'everyone',
];

/**
 * The confirmation rate a drill must reach per group. Every 要援護者 and every staff member must be confirmed
 * (their safety is the point of the drill); for the rest a municipality may set `settings.drillTargets.everyone`
 * (and `.all`), otherwise there is no target.
 */
export function drillTarget(
  group: DrillReportGroup,
  settings: Record<string, unknown> | null | undefined,
): number | null {
  if (group === 'needs_assistance' || group === 'staff') return 1;
  const targets = settings?.drillTargets;
  if (typeof targets !== 'object' || targets === null) return null;
  const value = (targets as Record<string, unknown>)[group];
  return typeof value === 'number' && value > 0 && value <= 1 ? value : null;
}

export interface EscalationTaskView {
  step: EscalationStep;
  state: EscalationState;
  outcome: EscalationOutcome | null;
}

/**
 * How the ladder ended for a silent person, in one word for the report: what a supporter found beats a staff
 * follow-up, which beats a resend; `none` when no rung started (not a 要援護者, or too early).
 */
export function escalationSummary(tasks: readonly EscalationTaskView[]): string {
  const reported = tasks.find((t) => t.step === EscalationStep.Supporter && t.outcome !== null);
  if (reported?.outcome === EscalationOutcome.Safe) return 'supporter_confirmed_safe';
  if (reported) return `supporter_reported_${reported.outcome}`;
  const followUp = tasks.find((t) => t.step === EscalationStep.StaffFollowUp);
  if (followUp) return followUp.state === EscalationState.Done ? 'staff_followed_up' : 'staff_follow_up_open';
  if (tasks.some((t) => t.step === EscalationStep.Supporter && t.state === EscalationState.Open)) {
    return 'supporters_asked';
  }
  if (tasks.some((t) => t.step === EscalationStep.Resend)) return 'resent';
  return 'none';
}
