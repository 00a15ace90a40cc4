import { Injectable } from '@nestjs/common';
import { type JobPayload, type JobProcessor, PublishAlertJob } from '@bousai/queue';
import { PublishAlertUseCase } from './publish-alert.use-case';

/** `alert.publish`: one public post of an alert. */
@Injectable()
export class PublishAlertProcessor implements JobProcessor {
  readonly contract = PublishAlertJob;
  readonly queue = PublishAlertJob.queue;
  readonly name = PublishAlertJob.name;

  constructor(private readonly publish: PublishAlertUseCase) {}

  async process({ alertId, target }: JobPayload<typeof PublishAlertJob>): Promise<void> {
    await this.publish.execute(alertId, target);
  }
}
