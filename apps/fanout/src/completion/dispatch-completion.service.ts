import { Injectable, Logger } from '@nestjs/common';
import { AlertAction, AlertStatus, nextStatus } from '@bousai/domain';
import { FanoutAlertRepository } from '@bousai/persistence';

/**
 * Moves an alert dispatching → sent once it is fully planned and nothing of it is queued any more. Batches ask
 * after each write, gated by the alert's queued hint so a big alert does not check its whole delivery table per
 * batch; the sweeper asks without the gate.
 */
@Injectable()
export class DispatchCompletion {
  private readonly logger = new Logger(DispatchCompletion.name);

  constructor(private readonly alerts: FanoutAlertRepository) {}

  /** After a batch wrote outcomes: check only when its write brought the hint to zero. */
  async afterBatch(alertId: string, queuedHint: number | null): Promise<boolean> {
    if (queuedHint === null || queuedHint > 0) return false;
    return this.check(alertId);
  }

  /** The authoritative check; resolves to whether this call completed the alert. */
  async check(alertId: string): Promise<boolean> {
    const done = await this.alerts.complete(
      alertId,
      nextStatus(AlertStatus.Dispatching, AlertAction.Complete),
    );
    if (done) this.logger.log({ alertId }, 'alert sent: every delivery settled');
    return done;
  }
}
