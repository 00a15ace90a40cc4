import type { Channel } from '@bousai/domain';
import {
  type DeliverBatchContract,
  type DeliverBatchPayload,
  DeliverBatchJobs,
  type JobProcessor,
} from '@bousai/queue';
import type { DeliverBatchUseCase } from './deliver-batch.use-case';

/** `delivery.send-batch` on one channel's queue; one instance per channel with a sender. */
export class DeliverBatchProcessor implements JobProcessor {
  readonly contract: DeliverBatchContract;
  readonly queue: DeliverBatchContract['queue'];
  readonly name: DeliverBatchContract['name'];

  constructor(
    readonly channel: Channel,
    private readonly deliver: DeliverBatchUseCase,
  ) {
    this.contract = DeliverBatchJobs[channel];
    this.queue = this.contract.queue;
    this.name = this.contract.name;
  }

  async process(payload: DeliverBatchPayload): Promise<void> {
    await this.deliver.execute(payload);
  }
}
