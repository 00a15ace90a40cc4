import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import {
  assertEveryContractHasProcessor,
  CancelAlertJob,
  ConfirmEmailJob,
  DeliverBatchJobs,
  type JobProcessor,
  PlanAlertJob,
  type ProcessorBinding,
  PublishAlertJob,
  QueueWorkers,
} from '@bousai/queue';
import { AlertCancelProcessor } from '../cancel/alert-cancel.processor';
import { ChannelRegistry } from '../channels/channel-registry';
import { ConfirmEmailProcessor } from '../confirm-email/confirm-email.processor';
import { DeliverBatchProcessor } from '../deliver/deliver-batch.processor';
import { DeliverBatchUseCase } from '../deliver/deliver-batch.use-case';
import { FANOUT_SETTINGS, type FanoutSettings } from '../fanout.settings';
import { AlertPlanProcessor } from '../plan/alert-plan.processor';
import { PublishAlertProcessor } from '../publish/publish-alert.processor';

/**
 * The fanout's BullMQ workers. At bootstrap it checks that every job this process can cause has a processor —
 * plan, cancel, and a batch of every channel with a sender (batches of channels other fanouts announce are theirs
 * to process), and with an email sender the address confirmations — then starts
 * one worker per queue. They stop in `onModuleDestroy`, before the senders and the database close (this provider
 * lives in the root module, whose hooks run first on shutdown), waiting for the batches in flight.
 */
@Injectable()
export class FanoutWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private workers: QueueWorkers | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: FanoutConfig,
    @Inject(FANOUT_SETTINGS) private readonly settings: FanoutSettings,
    private readonly channels: ChannelRegistry,
    private readonly plan: AlertPlanProcessor,
    private readonly cancel: AlertCancelProcessor,
    private readonly publish: PublishAlertProcessor,
    private readonly deliver: DeliverBatchUseCase,
    /** Present when this process has the real email sender (FANOUT_CHANNELS names `email`). */
    @Optional() private readonly confirmEmail?: ConfirmEmailProcessor,
  ) {}

  /** The contracts this process may enqueue, each of which must have a processor here. */
  contracts(): ProcessorBinding[] {
    return [
      PlanAlertJob,
      CancelAlertJob,
      PublishAlertJob,
      ...this.channels.channels().map((c) => DeliverBatchJobs[c]),
      ...(this.confirmEmail ? [ConfirmEmailJob] : []),
    ];
  }

  processors(): JobProcessor[] {
    return [
      this.plan,
      this.cancel,
      this.publish,
      ...this.channels.channels().map((c) => new DeliverBatchProcessor(c, this.deliver)),
      ...(this.confirmEmail ? [this.confirmEmail] : []),
    ];
  }

  onApplicationBootstrap(): void {
    const processors = this.processors();
    assertEveryContractHasProcessor(this.contracts(), processors);
    this.workers = new QueueWorkers({ redisUrl: this.config.REDIS_URL, prefix: this.config.QUEUE_PREFIX });
    this.workers.start(processors, (queue) => this.settings.concurrency[queue], {
      lockDurationMs: this.config.FANOUT_JOB_LOCK_MS,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.workers?.close();
  }
}
