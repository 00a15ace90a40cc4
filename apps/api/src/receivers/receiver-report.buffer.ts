import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError, ErrorCode } from '@bousai/domain';
import { reportKey, ReceiverRepository } from '@bousai/persistence';
import { mergeReports, type ReceiverReport } from './receiver-report.merge';

interface Waiting {
  report: ReceiverReport;
  resolve: (known: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for receiver reports (ARCHITECTURE.md §6): callers wait while their report sits in a buffer that is
 * written as one bulk statement every RECEIVER_FLUSH_MS (≤100 ms) or RECEIVER_FLUSH_MAX_ROWS reports, whichever
 * comes first, and are answered only after that statement commits. A device is therefore never told "recorded"
 * for something that is not durable, and ten thousand acks cost a handful of statements instead of ten thousand
 * commits. Writes run one at a time, so two batches never contend for the same rows.
 */
@Injectable()
export class ReceiverReportBuffer implements OnModuleDestroy {
  private readonly logger = new Logger(ReceiverReportBuffer.name);
  private readonly flushMs: number;
  private readonly maxRows: number;
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly receivers: ReceiverRepository,
    @Inject(APP_CONFIG) config: ApiConfig,
  ) {
    this.flushMs = config.RECEIVER_FLUSH_MS;
    this.maxRows = config.RECEIVER_FLUSH_MAX_ROWS;
  }

  /**
   * Records the report; resolves once it is durable, with false when it names a delivery that is not the
   * endpoint's own (proofs of life always resolve true).
   */
  record(report: ReceiverReport): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ report, resolve, reject });
      this.schedule();
    });
  }

  /** Writes everything buffered and waits for it (shutdown). */
  async drain(): Promise<void> {
    while (this.writing || this.waiting.length > 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await (this.writing ?? this.write());
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
  }

  private schedule(): void {
    if (this.writing) return; // the write in progress schedules the next one when it ends
    if (this.waiting.length >= this.maxRows) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.write();
      return;
    }
    // the deadline is the oldest report's (stamped on arrival), so time spent behind the previous write counts
    const oldest = this.waiting[0]?.report.at.getTime() ?? Date.now();
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        void this.write();
      },
      Math.max(0, oldest + this.flushMs - Date.now()),
    );
  }

  private write(): Promise<void> {
    const batch = this.waiting.splice(0, this.maxRows);
    this.writing = this.commit(batch).finally(() => {
      this.writing = undefined;
      if (this.waiting.length > 0) this.schedule();
    });
    return this.writing;
  }

  /** Never rejects: each waiting caller learns its own outcome. */
  private async commit(batch: Waiting[]): Promise<void> {
    if (batch.length === 0) return;
    const { deliveries, endpoints } = mergeReports(batch.map((w) => w.report));
    let known: Set<string>;
    try {
      known = await this.receivers.applyReports(deliveries, endpoints);
    } catch (err) {
      this.logger.error(
        { err, reports: batch.length, deliveries: deliveries.length, endpoints: endpoints.length },
        'receiver reports not recorded; devices are told to retry',
      );
      const failure = new DomainError(ErrorCode.Unavailable, 'receiver reports could not be recorded');
      for (const w of batch) w.reject(failure);
      return;
    }
    for (const w of batch) {
      const r = w.report;
      w.resolve(r.kind === 'seen' || known.has(reportKey(r.endpointId, r.deliveryId)));
    }
  }
}
