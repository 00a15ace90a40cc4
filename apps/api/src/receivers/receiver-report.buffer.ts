import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { reportKey, ReceiverRepository } from '@bousai/persistence';
import { GroupCommit } from '../acks/group-commit';
import { mergeReports, type ReceiverReport } from './receiver-report.merge';

/**
 * Group commit for receiver reports (docs/architecture.md §6, `GroupCommit`): callers wait while their report sits in a
 * buffer that is written as one bulk statement, at most RECEIVER_FLUSH_MAX_ROWS reports, none waiting longer than
 * RECEIVER_FLUSH_MS (≤100 ms) for a free writer (an idle writer starts after RECEIVER_FLUSH_LINGER_MS, by default
 * at once), and are answered only after that statement commits. A device is therefore never told "recorded" for
 * something that is not durable, and ten thousand acks cost a handful of statements instead of ten thousand
 * commits. Writes run one at a time, so two batches never contend for the same rows.
 */
@Injectable()
export class ReceiverReportBuffer implements OnModuleDestroy {
  private readonly group: GroupCommit<ReceiverReport, boolean>;

  constructor(receivers: ReceiverRepository, @Inject(APP_CONFIG) config: ApiConfig) {
    this.group = new GroupCommit({
      name: ReceiverReportBuffer.name,
      flushMs: config.RECEIVER_FLUSH_MS,
      maxRows: config.RECEIVER_FLUSH_MAX_ROWS,
      lingerMs: config.RECEIVER_FLUSH_LINGER_MS,
      commit: async (reports) => {
        const { deliveries, endpoints } = mergeReports(reports);
        const known = await receivers.applyReports(deliveries, endpoints);
        return reports.map((r) => r.kind === 'seen' || known.has(reportKey(r.endpointId, r.deliveryId)));
      },
      describeFailure: (reports) => ({ reports: reports.length }),
    });
  }

  /**
   * Records the report; resolves once it is durable, with false when it names a delivery that is not the
   * endpoint's own (proofs of life always resolve true). Rejects with UNAVAILABLE when the write failed.
   */
  record(report: ReceiverReport): Promise<boolean> {
    return this.group.submitOne(report);
  }

  /** Records several reports in one group commit; resolves, in order, as {@link record} does for each. */
  recordMany(reports: readonly ReceiverReport[]): Promise<boolean[]> {
    return this.group.submit(reports);
  }

  /** Writes everything buffered and waits for it (shutdown). */
  drain(): Promise<void> {
    return this.group.drain();
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
  }
}
