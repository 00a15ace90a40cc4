import { Injectable, Logger } from '@nestjs/common';
import { AlertLifecycle } from '@bousai/alerts';
import { AlertStatus, NotFoundError } from '@bousai/domain';
import {
  DeliveryBatchRepository,
  DeliveryPlanRepository,
  FanoutAlertRepository,
  PublicationRepository,
} from '@bousai/persistence';

export type CancelResult = {
  /** Queued deliveries that will now never be sent. */
  cancelled: number;
  /** The cancellation notice alert, when anyone was possibly reached. */
  noticeAlertId?: string;
};

/**
 * Runs after an alert was cancelled (its transition wrote `alert.cancel` to the outbox). Batches not yet sent
 * would stop on their own (they re-check the status), but marking every queued row cancelled at once makes the
 * record true immediately. Then everyone the alert possibly reached gets a cancellation notice, which the
 * lifecycle decides and creates with its `alert.plan` outbox row in one transaction; it is planned and sent like
 * any alert. A replay finds the notice it created before (idempotency key) and creates nothing.
 */
@Injectable()
export class CancelAlertUseCase {
  private readonly logger = new Logger(CancelAlertUseCase.name);

  constructor(
    private readonly alerts: FanoutAlertRepository,
    private readonly plans: DeliveryPlanRepository,
    private readonly batches: DeliveryBatchRepository,
    private readonly publications: PublicationRepository,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  async execute(alertId: string): Promise<CancelResult> {
    const alert = await this.alerts.get(alertId);
    if (!alert) throw new NotFoundError('alert', alertId);
    if (alert.status !== AlertStatus.Cancelled) {
      this.logger.warn(
        { alertId, status: alert.status },
        'cancel job for an alert that is not cancelled: ignored',
      );
      return { cancelled: 0 };
    }
    const cancelled = await this.batches.cancelQueued(alertId);
    // an alert that reached nobody (no delivery, no public post) needs no notice
    const reached =
      (await this.plans.anyPossiblyReached(alertId)) || (await this.publications.anyPosted(alertId));
    const notice = await this.lifecycle.issueCancellationNotice(alert, reached);
    if (!notice) {
      this.logger.log({ alertId, cancelled }, 'alert cancelled: no notice due (nobody reached, or a notice)');
      return { cancelled };
    }
    this.logger.log(
      { alertId, cancelled, noticeAlertId: notice.alertId, created: notice.created },
      'alert cancelled: cancellation notice to everyone reached',
    );
    return { cancelled, noticeAlertId: notice.alertId };
  }
}
