import { Injectable } from '@nestjs/common';
import {
  type Actor,
  AlertAction,
  AlertJob,
  type AnnouncedJob,
  announcedJobs,
  CANCELLABLE,
  type CancelledAlert,
  decide,
  decideCancellationNotice,
  decideSupersede,
  isIn,
  type LifecycleCommand,
  type LifecycleDecision,
  AlertStatus,
  type OutboxMessage,
} from '@bousai/domain';
import {
  type AlertEntity,
  AlertRepository,
  type NewAlert,
  OutboxWriter,
  type Transaction,
  TransactionRunner,
} from '@bousai/persistence';
import { CancelAlertJob, outboxMessage, PlanAlertJob } from '@bousai/queue';

/** The contract of each job the lifecycle announces: the outbox row is built from it alone. */
const CONTRACTS = {
  [AlertJob.Plan]: PlanAlertJob,
  [AlertJob.Cancel]: CancelAlertJob,
} as const satisfies { [J in AlertJob]: { name: `${J}` } };

function messages(jobs: readonly AnnouncedJob[]): OutboxMessage[] {
  return jobs.map((j) => outboxMessage(CONTRACTS[j.job], j.payload));
}

/** A new alert as its creator describes it; it starts as a draft. */
export type NewDraft = Omit<NewAlert, 'status' | 'dispatchedAt' | 'cancelsAlertId'>;

/**
 * The alert lifecycle as one application service, used by the api, ingest and the fan-out alike: the domain
 * (`decide`, `decideSupersede`, `decideCancellationNotice`) decides every transition and the jobs it announces;
 * this applies the decision in one transaction — the alert locked, its new state stored and the announced jobs
 * written to the outbox — so the fan-out hears of it even if Redis is down right now. Each method runs in the
 * caller's transaction when given one (ingest's event stream), in its own otherwise.
 */
@Injectable()
export class AlertLifecycle {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly alerts: AlertRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Creates a draft; with an idempotency key, a repeat finds the first one's alert (`created: false`). */
  create(draft: NewDraft, em?: Transaction): Promise<{ alert: AlertEntity; created: boolean }> {
    return this.tx.within(em, (t) =>
      this.alerts.insert(t, { ...draft, cancelsAlertId: null, status: AlertStatus.Draft }),
    );
  }

  /** Applies `command` to the alert under a row lock; an illegal one is refused (`IllegalTransition`). */
  apply(
    municipalityId: string,
    alertId: string,
    command: LifecycleCommand,
    em?: Transaction,
  ): Promise<AlertEntity> {
    return this.locked(municipalityId, alertId, em, (t, alert) =>
      this.store(t, alert, decide(alert, command, new Date())),
    );
  }

  /**
   * Cancels the alert unless it is already final (closed, cancelled, superseded): a feed's 取消 of an alert that
   * has moved on is not an error. Resolves to the alert as it is now.
   */
  cancelIfCancellable(
    municipalityId: string,
    alertId: string,
    actor: Actor,
    em?: Transaction,
  ): Promise<AlertEntity> {
    return this.locked(municipalityId, alertId, em, async (t, alert) =>
      isIn(CANCELLABLE, alert.status)
        ? this.store(t, alert, decide(alert, { action: AlertAction.Cancel, actor }, new Date()))
        : alert,
    );
  }

  private locked(
    municipalityId: string,
    alertId: string,
    em: Transaction | undefined,
    work: (t: Transaction, alert: AlertEntity) => Promise<AlertEntity>,
  ): Promise<AlertEntity> {
    return this.tx.within(em, async (t) =>
      work(t, await this.alerts.lockForUpdate(t, municipalityId, alertId)),
    );
  }

  /**
   * Creates the cancellation notice of a cancelled alert that possibly reached someone, straight into
   * dispatching with its `alert.plan` outbox row. Idempotent: a replay finds the notice the first run made and
   * announces nothing. Resolves to null when the domain decides no notice is due.
   */
  issueCancellationNotice(
    original: CancelledAlert,
    reached: boolean,
  ): Promise<{ alertId: string; created: boolean } | null> {
    const now = new Date();
    const notice = decideCancellationNotice(original, { reached, now });
    if (!notice) return Promise.resolve(null);
    return this.tx.run(async (t) => {
      const { alert, created } = await this.alerts.insert(t, {
        ...notice,
        supersedesId: null,
        dispatchedAt: now,
      });
      if (created) await this.outbox.enqueue(t, messages(announcedJobs(alert.id, null, notice.status)));
      return { alertId: alert.id, created };
    });
  }

  private async store(t: Transaction, alert: AlertEntity, d: LifecycleDecision): Promise<AlertEntity> {
    const saved = await this.alerts.saveTransition(t, alert, d.status, d.changes);
    await this.outbox.enqueue(t, messages(d.jobs));
    if (d.supersedes) {
      // a correction going out supersedes the alert it corrects (if that one went out at all)
      const original = await this.alerts.lockForUpdate(t, alert.municipalityId, d.supersedes);
      const superseded = decideSupersede(original, new Date());
      if (superseded) await this.store(t, original, superseded);
    }
    return saved;
  }
}
