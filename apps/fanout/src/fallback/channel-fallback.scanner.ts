import { Inject, Injectable, Logger } from '@nestjs/common';
import { fallbackPolicy } from '@bousai/domain';
import {
  ChannelFallbackRepository,
  DeliveryPlanRepository,
  FanoutAlertRepository,
} from '@bousai/persistence';
import { DeliverBatchJobs, QueueProducer } from '@bousai/queue';
import { PLAN_ORDER } from '../channels/channel-registry';
import { FanoutAnnouncer } from '../channels/fanout-announcer';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { PeriodicService } from '../workers/periodic-task';

export interface FallbackScanReport {
  alerts: number;
  planned: number;
  batches: number;
}

/**
 * Ordered channel fallback: for alerts whose severity the municipality sends in `ordered` mode, residents whose
 * channel failed permanently, or whose delivery no device acknowledged within the timeout, get the alert on the
 * next channel of their order. Each pass is one statement per alert (see `ChannelFallbackRepository.planNext`)
 * and the new batches go to the same queues as planned ones; the unique (alert, endpoint) key means a channel is
 * never used twice for the same alert, so repeating a pass, or several fanout processes scanning, is harmless.
 */
@Injectable()
export class ChannelFallbackScanner extends PeriodicService {
  private readonly logger = new Logger(ChannelFallbackScanner.name);

  constructor(
    private readonly fallback: ChannelFallbackRepository,
    private readonly plans: DeliveryPlanRepository,
    private readonly alerts: FanoutAlertRepository,
    private readonly producer: QueueProducer,
    private readonly announcer: FanoutAnnouncer,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
  ) {
    super();
    this.runEvery('channel-fallback', settings.fallbackScanMs, () => this.scan(), this.logger);
  }

  async scan(): Promise<FallbackScanReport> {
    const report: FallbackScanReport = { alerts: 0, planned: 0, batches: 0 };
    const candidates = await this.fallback.candidates();
    // a channel some running fanout sends on, this one or another: the next channel must be one that is sent
    const served = candidates.length > 0 ? await this.announcer.served() : new Set<string>();
    for (const alert of candidates) {
      const policy = fallbackPolicy(alert.municipalitySettings, alert.severity);
      if (policy.mode !== 'ordered') continue;
      const channels = PLAN_ORDER.filter((c) => served.has(c) && alert.channels.includes(c));
      if (channels.length < 2) continue;
      report.alerts++;
      const next = await this.plans.nextBatchNumbers(alert.id);
      const result = await this.fallback.planNext({
        alertId: alert.id,
        channels,
        order: policy.order,
        ackTimeoutSeconds: policy.ackTimeoutSeconds,
        firstBatchNo: new Map(channels.map((c) => [c as string, next.get(c) ?? 0])),
        batchSize: this.settings.batchSize,
      });
      if (result.inserted === 0) continue;
      for (const channel of new Set(result.batches.map((b) => b.channel))) {
        await this.producer.enqueueMany(
          DeliverBatchJobs[channel],
          result.batches
            .filter((b) => b.channel === channel)
            .map((b) => ({ alertId: alert.id, channel: channel, batchNo: b.batchNo })),
        );
      }
      await this.alerts.recordPlanned(alert.id, channels);
      report.planned += result.inserted;
      report.batches += result.batches.length;
      this.logger.log(
        { alertId: alert.id, planned: result.inserted, batches: result.batches.length },
        'fallback: next channel planned for residents not reached',
      );
    }
    return report;
  }
}
