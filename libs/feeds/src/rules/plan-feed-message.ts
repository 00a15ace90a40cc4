import type { Severity } from '@bousai/domain';
import {
  type AlertDraft,
  evaluateFeedRules,
  type FeedMessage,
  type MunicipalityCodes,
  type RuleDecision,
  severityRank,
} from './evaluate-feed-rules';
import type { FeedRule } from './feed-rule.schema';
import {
  decideRevision,
  type FeedIdentity,
  feedIdentity,
  type RevisionDecision,
  type RevisionState,
} from './feed-revision';

/** What an event already produced for one municipality and rule: the alert, and the state it was made for. */
export interface ProducedAlert {
  ruleId: string;
  alertId: string | null;
  severity: Severity;
  /** Kinds in force when last seen; full-state telegrams compare against it. Empty once lifted (解除). */
  kinds: string[];
  /** Report time of the message that made the alert; the suppression window counts from it. */
  alertedAt: string | null;
  /** The stream (data type + event) whose report made the alert: only its own 訂正 / 取消 change it. */
  stream: string | null;
}

export type AlertPlan =
  | { action: 'create'; ruleId: string; draft: AlertDraft; reason: string }
  | { action: 'correct'; ruleId: string; draft: AlertDraft; supersedesAlertId: string; reason: string }
  | { action: 'cancel'; ruleId: string; alertId: string; reason: string }
  | { action: 'suppress'; ruleId: string; draft: AlertDraft; reason: string }
  | { action: 'lift'; ruleId: string; reason: string };

export interface FeedPlan {
  identity: FeedIdentity | null;
  revision: RevisionDecision;
  decisions: RuleDecision[];
  plans: AlertPlan[];
}

export interface PlanInput {
  message: FeedMessage;
  /** The newest revision applied in the message's stream, or null. */
  previousRevision: RevisionState | null;
  rules: readonly FeedRule[];
  municipality: MunicipalityCodes;
  /** What the message's events produced so far for this municipality (any rule). */
  produced: readonly ProducedAlert[];
}

/** VPWW and VXWW50 telegrams, and VTSE41, list every area's current kinds: a kind that is gone was lifted. */
function isFullState(msg: FeedMessage): boolean {
  return msg.format === 'jmaxml' && (msg.body.family === 'weather' || msg.body.family === 'tsunami');
}

function latestFor(produced: readonly ProducedAlert[], ruleId: string): ProducedAlert | undefined {
  return produced
    .filter((p) => p.ruleId === ruleId)
    .sort((a, b) => Date.parse(b.alertedAt ?? '') - Date.parse(a.alertedAt ?? ''))[0];
}

function minutesBetween(from: string | null, to: string | null): number {
  if (!from || !to) return 0;
  return (Date.parse(to) - Date.parse(from)) / 60_000;
}

function planNew(
  d: RuleDecision,
  prev: ProducedAlert | undefined,
  id: FeedIdentity,
  full: boolean,
): AlertPlan | null {
  const draft = d.draft;
  if (!draft) {
    if (full && prev && prev.kinds.length > 0) {
      return {
        action: 'lift',
        ruleId: d.ruleId,
        reason: `no longer in force (解除): ${prev.kinds.join('、')}`,
      };
    }
    return null;
  }
  if (!prev || (prev.alertId === null && prev.kinds.length === 0)) {
    return { action: 'create', ruleId: d.ruleId, draft, reason: d.reason };
  }
  if (severityRank(draft.severity) > severityRank(prev.severity)) {
    return {
      action: 'create',
      ruleId: d.ruleId,
      draft,
      reason: `severity rose ${prev.severity} → ${draft.severity}: ${d.reason}`,
    };
  }
  const added = draft.kinds.filter((k) => !prev.kinds.includes(k));
  if (added.length > 0) {
    return { action: 'create', ruleId: d.ruleId, draft, reason: `newly in force: ${added.join('、')}` };
  }
  if (prev.alertId !== null && minutesBetween(prev.alertedAt, id.reportedAt) >= draft.suppressMinutes) {
    return { action: 'create', ruleId: d.ruleId, draft, reason: `suppression window over: ${d.reason}` };
  }
  return {
    action: 'suppress',
    ruleId: d.ruleId,
    draft,
    reason: 'already alerted for this event and severity has not risen',
  };
}

function planCorrection(d: RuleDecision, prev: ProducedAlert | undefined): AlertPlan | null {
  if (d.draft) {
    return prev?.alertId
      ? {
          action: 'correct',
          ruleId: d.ruleId,
          draft: d.draft,
          supersedesAlertId: prev.alertId,
          reason: `訂正: ${d.reason}`,
        }
      : { action: 'create', ruleId: d.ruleId, draft: d.draft, reason: `訂正: ${d.reason}` };
  }
  return prev?.alertId
    ? {
        action: 'cancel',
        ruleId: d.ruleId,
        alertId: prev.alertId,
        reason: `訂正: no longer meets the rule (${d.reason})`,
      }
    : null;
}

/**
 * Everything one message means for one municipality: the revision decision, every rule's decision and the alert
 * actions (create, correct, cancel, suppress, lift). Pure: the caller loads the state and applies the plans.
 */
export function planFeedMessage(input: PlanInput): FeedPlan {
  const identity = feedIdentity(input.message);
  const decisions = evaluateFeedRules(input.message, input.rules, input.municipality);
  if (!identity) {
    return { identity, revision: { kind: 'ignore-older', reason: 'not a report' }, decisions, plans: [] };
  }
  const revision = decideRevision(identity, input.previousRevision);
  // JMA: a 訂正 / 取消 concerns the reports of its own data type (a VXSE52 取消 does not withdraw the VXSE53 of the
  // same EventID); CAP and J-ALERT relate them through references / incident ids, already in the event keys
  const own = input.produced.filter(
    (p) => identity.source !== 'jma' || p.stream === null || p.stream === identity.stream,
  );
  const plans: AlertPlan[] = [];
  switch (revision.kind) {
    case 'duplicate':
    case 'ignore-older':
      break;
    case 'retraction': {
      const seen = new Set<string>();
      for (const p of own) {
        if (p.alertId && !seen.has(p.alertId)) {
          seen.add(p.alertId);
          plans.push({
            action: 'cancel',
            ruleId: p.ruleId,
            alertId: p.alertId,
            reason: '取消: the report that made it was withdrawn',
          });
        }
      }
      break;
    }
    case 'correction':
      for (const d of decisions) {
        const plan = planCorrection(d, latestFor(own, d.ruleId));
        if (plan) plans.push(plan);
      }
      break;
    case 'new': {
      const full = isFullState(input.message);
      for (const d of decisions) {
        const plan = planNew(d, latestFor(input.produced, d.ruleId), identity, full);
        if (plan) plans.push(plan);
      }
      break;
    }
  }
  return { identity, revision, decisions, plans };
}

/** The state to keep after a plan was applied (`alertId` of the alert it created, if any); null removes it. */
export function producedAfter(
  plan: AlertPlan,
  previous: ProducedAlert | undefined,
  alertId: string | null,
  identity: Pick<FeedIdentity, 'reportedAt' | 'stream'>,
): ProducedAlert | null {
  const { reportedAt, stream } = identity;
  switch (plan.action) {
    case 'create':
    case 'correct':
      return {
        ruleId: plan.ruleId,
        alertId,
        severity: plan.draft.severity,
        kinds: plan.draft.kinds,
        alertedAt: reportedAt,
        stream,
      };
    case 'suppress':
      return previous
        ? { ...previous, kinds: plan.draft.kinds }
        : {
            ruleId: plan.ruleId,
            alertId: null,
            severity: plan.draft.severity,
            kinds: plan.draft.kinds,
            alertedAt: reportedAt,
            stream: null,
          };
    case 'lift':
      return previous ? { ...previous, kinds: [] } : null;
    case 'cancel':
      return null;
  }
}
