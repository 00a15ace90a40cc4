import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AlertLifecycle } from '@bousai/alerts';
import {
  ActorType,
  AlertAction,
  AlertSource,
  AlertStatus,
  decideCorrection,
  SYSTEM_ACTOR,
} from '@bousai/domain';
import {
  type AlertDraft,
  type AlertPlan,
  decideRevision,
  defaultFeedRules,
  eventSourceOf,
  type FeedIdentity,
  type FeedMessage,
  type FeedRule,
  FeedRuleSchema,
  feedIdentity,
  messageCodes,
  planFeedMessage,
  type ProducedAlert,
  producedAfter,
  type RevisionKind,
} from '@bousai/feeds';
import {
  type AlertEntity,
  AlertRepository,
  AuditRepository,
  FeedEventRepository,
  FeedRuleRepository,
  type MunicipalityCodesRow,
  type Transaction,
  TransactionRunner,
} from '@bousai/persistence';
import { type EvacuationFeedOutcome, FeedEvacuationDrafts } from './feed-evacuation-drafts';

/** What one message did, per municipality: for logs and tests. */
export interface FeedRulesOutcome {
  revision: RevisionKind | 'not-a-report';
  municipalities: {
    municipalityId: string;
    /** `alertId`: the alert created, or for a cancel the alert cancelled. */
    actions: { action: AlertPlan['action']; ruleId: string; alertId: string | null; reason: string }[];
  }[];
  /** Evacuation order drafts made and proposals recorded, per municipality (docs/evacuation.md §6). */
  evacuation: ({ municipalityId: string } & EvacuationFeedOutcome)[];
}

function alertSource(identity: FeedIdentity): AlertSource {
  switch (identity.source) {
    case 'jma':
      return AlertSource.Jma;
    case 'cap':
      return AlertSource.Cap;
    case 'jalert':
      return AlertSource.JAlert;
  }
}

function titleOf(message: FeedMessage): string | null {
  switch (message.format) {
    case 'jmaxml':
      return message.head.title ?? message.control.title;
    case 'cap':
      return message.infos[0]?.headline ?? message.infos[0]?.event ?? null;
    case 'jalert':
      return message.relay.text.slice(0, 200);
    case 'atom':
      return message.feed.title;
  }
}

/**
 * Message → alerts (issue 5 items 5 and 7): records the report's revision on its `event`, evaluates every
 * concerned municipality's rules and drives the alert lifecycle as the system actor — auto-send rules are
 * created, approved and sent in one go, the others wait for approval; 訂正 corrects and 取消 cancels what the
 * event produced. Idempotent per report: alerts carry a deterministic idempotency key, and the revision is
 * recorded last, in the transaction that holds the event.
 */
@Injectable()
export class ApplyFeedRulesUseCase {
  private readonly logger = new Logger(ApplyFeedRulesUseCase.name);

  constructor(
    private readonly events: FeedEventRepository,
    private readonly rules: FeedRuleRepository,
    private readonly alerts: AlertRepository,
    private readonly tx: TransactionRunner,
    private readonly lifecycle: AlertLifecycle,
    private readonly evacuation: FeedEvacuationDrafts,
    private readonly audit: AuditRepository,
  ) {}

  async execute(documentId: string | null, message: FeedMessage): Promise<FeedRulesOutcome> {
    const identity = feedIdentity(message);
    if (!identity) return { revision: 'not-a-report', municipalities: [], evacuation: [] };
    const stream = {
      source: eventSourceOf(identity),
      identityKey: identity.stream,
      kind: message.kind,
      title: titleOf(message),
    };
    await this.events.ensureStream(stream);
    const outcome = await this.tx.run(async (em) => {
      const { eventId, previous } = await this.events.lockStream(em, stream);
      if (documentId) await this.events.linkDocument(em, documentId, eventId);
      const revision = decideRevision(identity, previous).kind;
      const outcome: FeedRulesOutcome = { revision, municipalities: [], evacuation: [] };
      if (revision === 'duplicate' || revision === 'ignore-older') return outcome;
      const concerned = await this.events.municipalitiesConcerned(
        em,
        messageCodes(message),
        identity.eventKeys,
      );
      for (const m of concerned) {
        const rules = await this.rulesOf(m.id);
        const produced = (await this.events.produced(em, m.id, identity.eventKeys)) as ProducedAlert[];
        const plan = planFeedMessage({
          message,
          previousRevision: previous,
          rules,
          municipality: m,
          produced,
        });
        const actions: FeedRulesOutcome['municipalities'][number]['actions'] = [];
        for (const p of plan.plans) {
          const alertId = await this.applyPlan(em, m, identity, eventId, p);
          const before = produced.find((x) => x.ruleId === p.ruleId);
          await this.events.saveProduced(
            em,
            { municipalityId: m.id, eventKeys: identity.eventKeys, ruleId: p.ruleId, eventId },
            producedAfter(p, before, alertId, identity),
          );
          actions.push({
            action: p.action,
            ruleId: p.ruleId,
            alertId: p.action === 'cancel' ? p.alertId : alertId,
            reason: p.reason,
          });
        }
        if (actions.length > 0) outcome.municipalities.push({ municipalityId: m.id, actions });
        const evacuation = await this.evacuation.apply(em, m, message, documentId);
        if (evacuation.drafts.length + evacuation.proposals.length > 0) {
          outcome.evacuation.push({ municipalityId: m.id, ...evacuation });
        }
      }
      this.logger.log(
        { stream: identity.stream, revision, municipalities: outcome.municipalities },
        'feed rules applied',
      );
      await this.events.recordRevision(em, eventId, {
        ...identity.revision,
        documentId,
        retracted: identity.kind === 'retraction',
      });
      return outcome;
    });
    await this.auditEvacuation(outcome.evacuation, documentId);
    return outcome;
  }

  /** Drafts and proposals the feeds made are audited as the system's doing, once they are committed. */
  private async auditEvacuation(
    made: FeedRulesOutcome['evacuation'],
    documentId: string | null,
  ): Promise<void> {
    for (const { municipalityId, drafts, proposals } of made) {
      for (const d of drafts) {
        await this.audit.append({
          municipalityId,
          actorType: ActorType.System,
          actorId: null,
          action: 'evacuation_order.draft_from_feed',
          targetType: 'evacuation_order',
          targetIds: [d.orderId],
          details: { hazard: d.hazard, level: d.level, districtCodes: d.districtCodes, documentId },
          requestId: null,
        });
      }
      for (const p of proposals) {
        await this.audit.append({
          municipalityId,
          actorType: ActorType.System,
          actorId: null,
          action: 'evacuation_order.proposal_from_feed',
          targetType: 'evacuation_proposal',
          targetIds: [p.proposalId, p.orderId],
          details: { kind: p.kind, level: p.level, documentId },
          requestId: null,
        });
      }
    }
  }

  /** The municipality's valid rules; the defaults are written on first use. A stored rule that no longer validates is skipped. */
  private async rulesOf(municipalityId: string): Promise<FeedRule[]> {
    const stored = await this.rules.seedIfNew(municipalityId, defaultFeedRules());
    const rules: FeedRule[] = [];
    for (const s of stored) {
      const parsed = FeedRuleSchema.safeParse(s.rule);
      if (parsed.success) rules.push(parsed.data);
      else
        this.logger.warn(
          { municipalityId, ruleId: s.rule.id },
          'stored feed rule no longer validates; skipped',
        );
    }
    return rules;
  }

  /** Applies one plan; returns the id of the alert it created, if any. */
  private async applyPlan(
    em: Transaction,
    m: MunicipalityCodesRow,
    identity: FeedIdentity,
    eventId: string,
    plan: AlertPlan,
  ): Promise<string | null> {
    switch (plan.action) {
      case 'create':
        return (await this.createAlert(em, m.id, identity, eventId, plan.draft, null)).id;
      case 'correct': {
        const original = await this.alerts.get(m.id, plan.supersedesAlertId, em);
        const correction = decideCorrection(original, 'replace');
        if (correction.kind === 'supersedes') {
          return (await this.createAlert(em, m.id, identity, eventId, plan.draft, correction.supersedesId))
            .id;
        }
        // not out yet: nothing to supersede — the corrected alert replaces it before anyone was reached
        await this.lifecycle.cancelIfCancellable(m.id, original.id, SYSTEM_ACTOR, em);
        return (await this.createAlert(em, m.id, identity, eventId, plan.draft, null)).id;
      }
      case 'cancel':
        await this.lifecycle.cancelIfCancellable(m.id, plan.alertId, SYSTEM_ACTOR, em);
        return null;
      case 'suppress':
      case 'lift':
        return null;
    }
  }

  private async createAlert(
    em: Transaction,
    municipalityId: string,
    identity: FeedIdentity,
    eventId: string,
    draft: AlertDraft,
    supersedesId: string | null,
  ): Promise<AlertEntity> {
    const idempotencyKey = `feed-${createHash('sha256').update(`${identity.key}|${draft.ruleId}`).digest('hex').slice(0, 40)}`;
    const { alert } = await this.lifecycle.create(
      {
        municipalityId,
        source: alertSource(identity),
        templateKey: draft.templateKey,
        texts: draft.texts,
        severity: draft.severity,
        targeting: draft.targeting,
        channels: draft.channels,
        isDrill: draft.isDrill,
        safetyRequest: draft.safetyRequest,
        createdBy: null,
        supersedesId,
        idempotencyKey,
        expiresAt: new Date(Date.now() + draft.expiresInMinutes * 60_000),
        eventId,
      },
      em,
    );
    // a repeat of a report already applied: the alert it made has moved on
    if (alert.status !== AlertStatus.Draft) return alert;
    const submitted = await this.lifecycle.apply(
      municipalityId,
      alert.id,
      { action: AlertAction.Submit },
      em,
    );
    if (!draft.autoSend) return submitted;
    // J-ALERT's automatic kinds and rules marked auto-send: the system approves and sends (docs/feeds.md §3); a
    // correction's send supersedes the alert it corrects in the same step
    await this.lifecycle.apply(
      municipalityId,
      alert.id,
      { action: AlertAction.Approve, actor: SYSTEM_ACTOR, singleStepKinds: [] },
      em,
    );
    return this.lifecycle.apply(municipalityId, alert.id, { action: AlertAction.Send }, em);
  }
}
