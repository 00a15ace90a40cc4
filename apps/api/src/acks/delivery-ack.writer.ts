import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { type DeliveryAckResult, type DeliveryAckRow, DeliveryAckRepository } from '@bousai/persistence';
import { GroupCommit } from './group-commit';

/**
 * The api's one group commit of app and browser acknowledgements: one `UPDATE delivery … FROM unnest(…)` per
 * batch of at most ACK_FLUSH_MAX_ROWS, none waiting longer than ACK_FLUSH_MS (≤100 ms) for a free writer, each
 * request answered once its batch committed. By default an idle writer starts at once (ACK_FLUSH_LINGER_MS = 0):
 * a phone's ack costs one write's latency, not 100 ms, and under a storm the batches grow by themselves while
 * the previous one is written (bench:acks). Throughput with a fixed wait would be capped at requests in flight /
 * wait, e.g. 64 keep-alive connections / 100 ms = 640 acks/s. ACK_FLUSH_WRITERS batches are written at once: a
 * commit is mostly waiting (its flush to disk), and the one statement is safe beside itself (row locks order two
 * acks of one delivery; stages only move forward whichever commits first; a deadlock is retried).
 */
@Injectable()
export class DeliveryAckWriter implements OnModuleDestroy {
  private readonly group: GroupCommit<DeliveryAckRow, DeliveryAckResult>;

  constructor(acks: DeliveryAckRepository, @Inject(APP_CONFIG) config: ApiConfig) {
    this.group = new GroupCommit({
      name: DeliveryAckWriter.name,
      flushMs: config.ACK_FLUSH_MS,
      maxRows: config.ACK_FLUSH_MAX_ROWS,
      lingerMs: config.ACK_FLUSH_LINGER_MS,
      writers: config.ACK_FLUSH_WRITERS,
      commit: (rows) => acks.apply(rows),
    });
  }

  /** Resolves with one result per ack once they are durable; rejects with UNAVAILABLE when the write failed. */
  record(acks: readonly DeliveryAckRow[]): Promise<DeliveryAckResult[]> {
    return this.group.submit(acks);
  }

  /** Shutdown (SIGTERM): every ack already accepted into the buffer is written before the process ends. */
  async onModuleDestroy(): Promise<void> {
    await this.group.drain();
  }
}
