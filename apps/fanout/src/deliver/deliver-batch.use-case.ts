import { Inject, Injectable, Logger } from '@nestjs/common';
import { backoffMs, type DeliveryOutcome, type DeliveryTarget, type OutgoingMessage } from '@bousai/channels';
import {
  AlertStatus,
  type Channel,
  DomainError,
  ErrorCode,
  NotFoundError,
  stopsSending,
} from '@bousai/domain';
import { MetricsService } from '@bousai/observability';
import {
  type BatchKey,
  DeliveryBatchRepository,
  type FanoutAlert,
  FanoutAlertRepository,
} from '@bousai/persistence';
import { type DeliverBatchPayload, DeliverBatchJobs, QueueProducer } from '@bousai/queue';
import { ChannelRegistry } from '../channels/channel-registry';
import { DispatchCompletion } from '../completion/dispatch-completion.service';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { FanoutLease } from '../lease/fanout-lease.service';
import { batchOutcomes, outcomesForThrow } from './batch-outcomes';

/** A message nobody set an expiry for still stops being worth sending after a day. */
const DEFAULT_TTL_MS = 24 * 3_600_000;

export type DeliverResult =
  | { outcome: 'sent'; tally: Record<string, number>; retries: number }
  | { outcome: 'cancelled'; cancelled: number }
  | { outcome: 'idle'; reason: string };

/**
 * Sends one batch of one channel: re-reads the alert (a cancelled or superseded alert cancels the batch's queued
 * rows instead), claims the rows still queued for this attempt, hands them to the channel's sender, and writes
 * every outcome with one statement. Rows a provider asked to retry stay queued and get a follow-up job for just
 * them, delayed by a jittered backoff no shorter than the provider's `Retry-After`. A row is sent at most once:
 * only the requests in flight when a process dies can go out twice (its lease lapses, the rows it held are
 * released and the job for their attempt count takes them again).
 */
@Injectable()
export class DeliverBatchUseCase {
  private readonly logger = new Logger(DeliverBatchUseCase.name);
  /** Per process: with several fanouts, each one's share of the work (and a stalled one) shows on its own series. */
  private readonly deliveries;
  private readonly batchesSent;

  constructor(
    private readonly alerts: FanoutAlertRepository,
    private readonly batches: DeliveryBatchRepository,
    private readonly producer: QueueProducer,
    private readonly channels: ChannelRegistry,
    private readonly completion: DispatchCompletion,
    private readonly lease: FanoutLease,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
    metrics: MetricsService,
  ) {
    this.deliveries = metrics.counter({
      name: 'fanout_deliveries_total',
      help: 'Delivery attempts this process recorded, by channel and outcome (sent, delivered, failed, retry, exhausted).',
      labelNames: ['channel', 'outcome'] as const,
    });
    this.batchesSent = metrics.counter({
      name: 'fanout_batches_total',
      help: 'Batches this process sent and recorded, by channel.',
      labelNames: ['channel'] as const,
    });
  }

  async execute(job: DeliverBatchPayload): Promise<DeliverResult> {
    const channel = job.channel;
    const batch: BatchKey = { alertId: job.alertId, channel, batchNo: job.batchNo };
    const adapter = this.channels.get(channel);
    if (!adapter)
      throw new DomainError(ErrorCode.Unavailable, `no sender for channel ${channel} in this process`);
    const alert = await this.alerts.get(job.alertId);
    if (!alert) throw new NotFoundError('alert', job.alertId);
    if (stopsSending(alert.status)) return this.cancelBatch(batch, alert.status);
    if (alert.status !== AlertStatus.Dispatching)
      return { outcome: 'idle', reason: `alert is ${alert.status}` };

    // rows a killed process had claimed are not this job's, even when it is that process's job resumed by BullMQ:
    // the lease that lapsed releases them and queues the job for their attempt count (FanoutLease)
    const { live, holding, deliveries } = await this.batches.claim(
      batch,
      job.attempt,
      this.lease.claimLease(),
    );
    if (!holding) {
      throw new DomainError(ErrorCode.Unavailable, 'this process has no fresh lease; the job is retried');
    }
    if (!live) {
      const now = await this.alerts.get(job.alertId);
      if (now && stopsSending(now.status)) return this.cancelBatch(batch, now.status);
      return { outcome: 'idle', reason: `alert is ${now?.status ?? 'gone'}` };
    }
    if (deliveries.length === 0) return { outcome: 'idle', reason: 'nothing queued' };

    const targets: DeliveryTarget[] = deliveries
      .filter((d) => d.endpointActive)
      .map((d) => ({
        deliveryId: d.deliveryId,
        endpointId: d.endpointId,
        address: d.address,
        subscription: d.subscription,
        language: d.language,
        residentId: d.residentId,
        safetyStatus: d.safetyStatus,
        visitor: d.visitor,
      }));
    let outcomes: DeliveryOutcome[] = [];
    if (targets.length > 0) {
      try {
        outcomes = await adapter.send(targets, this.message(alert));
      } catch (err) {
        this.logger.error({ err, ...batch }, 'sender failed for the whole batch');
        outcomes = outcomesForThrow(targets, err);
      }
    }

    const result = batchOutcomes(channel, deliveries, outcomes, this.settings.maxAttempts);
    const recorded = await this.batches.recordOutcomes(job.alertId, this.lease.holder, result.rows);
    this.batchesSent.inc({ channel });
    for (const [outcome, n] of Object.entries(result.tally)) {
      if (n > 0) this.deliveries.inc({ channel, outcome }, n);
    }
    for (const subset of result.retries) await this.scheduleRetry(job, channel, subset);
    this.logger.log(
      { ...batch, attempt: job.attempt, ...result.tally, deadEndpoints: recorded.deadEndpoints },
      'batch sent',
    );
    await this.completion.afterBatch(job.alertId, recorded.queuedHint);
    return { outcome: 'sent', tally: result.tally, retries: result.retries.length };
  }

  private async cancelBatch(batch: BatchKey, status: string): Promise<DeliverResult> {
    const cancelled = await this.batches.cancelQueued(batch.alertId, batch);
    if (cancelled > 0) this.logger.log({ ...batch, status, cancelled }, 'batch cancelled: alert stopped');
    return { outcome: 'cancelled', cancelled };
  }

  private async scheduleRetry(
    job: DeliverBatchPayload,
    channel: Channel,
    subset: { attempts: number; rows: number; retryAfterMs?: number },
  ): Promise<void> {
    const delayMs = backoffMs(subset.attempts, subset.retryAfterMs, {
      baseMs: this.settings.retryBaseMs,
      capMs: this.settings.retryCapMs,
    });
    await this.producer.enqueue(
      DeliverBatchJobs[channel],
      { alertId: job.alertId, channel, batchNo: job.batchNo, attempt: subset.attempts },
      { delayMs },
    );
    this.logger.log(
      {
        alertId: job.alertId,
        channel,
        batchNo: job.batchNo,
        attempt: subset.attempts,
        rows: subset.rows,
        delayMs,
      },
      'retry scheduled',
    );
  }

  private message(alert: FanoutAlert): OutgoingMessage {
    return {
      alertId: alert.id,
      severity: alert.severity,
      isDrill: alert.isDrill,
      safetyRequest: alert.safetyRequest,
      texts: alert.texts,
      expiresAt: alert.expiresAt?.getTime() ?? alert.createdAt.getTime() + DEFAULT_TTL_MS,
      ...(alert.cancelsAlertId ? { cancelsAlertId: alert.cancelsAlertId } : {}),
      evacuationMessage: alert.evacuationMessage,
    };
  }
}
