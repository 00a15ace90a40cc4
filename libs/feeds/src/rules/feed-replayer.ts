import type { FeedMessage, MunicipalityCodes } from './evaluate-feed-rules';
import type { FeedRule } from './feed-rule.schema';
import { feedIdentity, type RevisionState } from './feed-revision';
import {
  type AlertPlan,
  type FeedPlan,
  planFeedMessage,
  type ProducedAlert,
  producedAfter,
} from './plan-feed-message';

/** One alert action a replayed message led to; `alertId` is a sequence number standing in for the alert. */
export interface ReplayedAction {
  plan: AlertPlan;
  alertId: string | null;
}

/**
 * Runs messages through dedupe, revisions and one municipality's rules with the state kept in memory — what
 * ingest does against Postgres, without sending anything (`feeds:replay`, and specs).
 */
export class InMemoryFeedReplayer {
  private readonly revisions = new Map<string, RevisionState>();
  private readonly produced = new Map<string, ProducedAlert>();
  private sequence = 0;

  constructor(
    private readonly rules: readonly FeedRule[],
    private readonly municipality: MunicipalityCodes,
  ) {}

  push(message: FeedMessage): FeedPlan & { actions: ReplayedAction[] } {
    const identity = feedIdentity(message);
    const keys = identity?.eventKeys ?? [];
    const produced = keys.flatMap((k) =>
      this.rules.map((r) => this.produced.get(`${k}|${r.id}`)).filter((p): p is ProducedAlert => !!p),
    );
    const plan = planFeedMessage({
      message,
      previousRevision: identity ? (this.revisions.get(identity.stream) ?? null) : null,
      rules: this.rules,
      municipality: this.municipality,
      produced,
    });
    if (!identity || plan.revision.kind === 'duplicate' || plan.revision.kind === 'ignore-older') {
      return { ...plan, actions: [] };
    }
    this.revisions.set(identity.stream, identity.revision);
    const actions = plan.plans.map((p) => {
      const alertId = p.action === 'create' || p.action === 'correct' ? `#${++this.sequence}` : null;
      for (const k of keys) {
        const slot = `${k}|${p.ruleId}`;
        const next = producedAfter(p, this.produced.get(slot), alertId, identity);
        if (next) this.produced.set(slot, next);
        else this.produced.delete(slot);
      }
      return { plan: p, alertId: p.action === 'cancel' ? p.alertId : alertId };
    });
    return { ...plan, actions };
  }
}

/** Report time of a message (JMA ReportDateTime, CAP sent, J-ALERT issuedAt), for ordering a replay. */
export function reportTimeOf(message: FeedMessage): number {
  const at = feedIdentity(message)?.reportedAt;
  const t = at ? Date.parse(at) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}
