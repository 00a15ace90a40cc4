import { Inject, Injectable, Logger } from '@nestjs/common';
import { STOPPED } from '@bousai/domain';
import { DeliveryBatchRepository, FanoutAlertRepository } from '@bousai/persistence';
import { DeliverBatchJobs, PlanAlertJob, QueueProducer } from '@bousai/queue';
import { ChannelRegistry } from '../channels/channel-registry';
import { DispatchCompletion } from '../completion/dispatch-completion.service';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicService } from '../workers/periodic-task';

export interface SweepReport {
  plansRequeued: number;
  batchesRequeued: number;
  completed: number;
  cancelled: number;
}

/** Alerts looked at per sweep; the oldest first, so a backlog drains over several sweeps. */
const ALERTS_PER_SWEEP = 500;
/** How far back stopped alerts are checked for rows their batch jobs never got to cancel. */
const STOPPED_WINDOW_SECONDS = 86_400;

/**
 * Finds fan-out work that stalled past its deadline and queues it again; deterministic job ids and the row states
 * make every action harmless to repeat (several fanout processes may sweep at once):
 * - a dispatching alert not fully planned whose plan job is gone → its plan job again (it resumes);
 * - queued rows older than the deadline that nobody holds and whose job is not waiting, delayed or running → the job
 *   for their attempt count again (rows a process holds are its own; those of a process that died are released by
 *   the lease that lapsed, FanoutLease, which queues their job itself);
 * - a dispatching alert with nothing queued any more (its rows were settled by someone who does not keep the
 *   queued hint, e.g. a receiver's ack on reconnect) → completed;
 * - queued rows of alerts that were stopped → cancelled.
 */
@Injectable()
export class FanoutSweeper extends PeriodicService {
  private readonly logger = new Logger(FanoutSweeper.name);

  constructor(
    private readonly alerts: FanoutAlertRepository,
    private readonly batches: DeliveryBatchRepository,
    private readonly producer: QueueProducer,
    private readonly channels: ChannelRegistry,
    private readonly completion: DispatchCompletion,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
  ) {
    super();
    this.runEvery('fanout-sweeper', settings.sweepIntervalMs, () => this.sweep(), this.logger);
  }

  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { plansRequeued: 0, batchesRequeued: 0, completed: 0, cancelled: 0 };
    const deadlineSeconds = this.settings.sweepDeadlineMs / 1000;
    for (const alert of await this.alerts.dispatching(ALERTS_PER_SWEEP)) {
      if (!alert.planned) {
        if (
          alert.ageSeconds > deadlineSeconds &&
          (await this.producer.requeue(PlanAlertJob, { alertId: alert.id }))
        ) {
          report.plansRequeued++;
          this.logger.warn({ alertId: alert.id }, 'sweeper: plan job was gone; queued again');
        }
        continue;
      }
      const queued = await this.batches.queuedBatches(alert.id);
      if (queued.length === 0) {
        if (await this.completion.check(alert.id)) report.completed++;
        continue;
      }
      for (const b of queued) {
        if (b.ageSeconds <= deadlineSeconds) continue;
        const channel = b.channel;
        if (!this.channels.get(channel)) continue;
        const contract = DeliverBatchJobs[channel];
        const job = { alertId: alert.id, channel, batchNo: b.batchNo };
        if (await this.producer.requeue(contract, { ...job, attempt: b.attempts })) {
          report.batchesRequeued++;
          this.logger.warn(
            { ...job, attempt: b.attempts, rows: b.rows },
            'sweeper: stuck batch queued again',
          );
        }
      }
    }
    for (const alertId of await this.alerts.stoppedWithQueued(
      STOPPED,
      STOPPED_WINDOW_SECONDS,
      ALERTS_PER_SWEEP,
    )) {
      report.cancelled += await this.batches.cancelQueued(alertId);
    }
    if (Object.values(report).some((n) => n > 0)) this.logger.log(report, 'sweep');
    return report;
  }
}
