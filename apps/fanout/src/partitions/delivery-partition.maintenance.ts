import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { DeliveryPartitionRepository, monthOf, type PartitionReport } from '@bousai/persistence';
import { PeriodicService } from '../workers/periodic-task';

/**
 * Keeps `delivery`'s month partitions ahead of time and drops the ones past the retention, at boot and every
 * `DELIVERY_PARTITION_INTERVAL_MS` (one process at a time, under an advisory lock). Creating a month is a short
 * lock on `delivery` (bounded by a lock timeout, tried again next run; months are made `DELIVERY_PARTITIONS_AHEAD`
 * ahead, so a missed run costs nothing); dropping one detaches it CONCURRENTLY.
 */
@Injectable()
export class DeliveryPartitionMaintenance extends PeriodicService {
  private readonly logger = new Logger(DeliveryPartitionMaintenance.name);

  constructor(
    private readonly partitions: DeliveryPartitionRepository,
    @Inject(APP_CONFIG) private readonly config: FanoutConfig,
  ) {
    super();
    this.runEvery(
      'delivery-partitions',
      config.DELIVERY_PARTITION_INTERVAL_MS,
      () => this.run(),
      this.logger,
    );
  }

  /** One run at `now`; undefined when another process is running it. */
  async run(now = new Date()): Promise<PartitionReport | undefined> {
    const month = monthOf(now);
    const report = await this.partitions.exclusively(async () => {
      const created = await this.partitions.ensure(month, month + this.config.DELIVERY_PARTITIONS_AHEAD);
      const old = await this.partitions.dropBefore(
        month - this.config.DELIVERY_RETENTION_MONTHS,
        this.config.DELIVERY_ARCHIVE_DIR,
      );
      return { created, ...old };
    });
    if (report && (report.created.length || report.dropped.length || report.kept.length))
      this.logger.log(report, 'delivery partitions maintained');
    return report;
  }
}
