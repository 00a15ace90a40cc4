import { Injectable } from '@nestjs/common';
import { CancelAlertJob, type JobPayload, type JobProcessor } from '@bousai/queue';
import { CancelAlertUseCase } from './cancel-alert.use-case';

/** `alert.cancel`: stops what is queued and notifies everyone already reached. */
@Injectable()
export class AlertCancelProcessor implements JobProcessor {
  readonly contract = CancelAlertJob;
  readonly queue = CancelAlertJob.queue;
  readonly name = CancelAlertJob.name;

  constructor(private readonly cancel: CancelAlertUseCase) {}

  async process({ alertId }: JobPayload<typeof CancelAlertJob>): Promise<void> {
    await this.cancel.execute(alertId);
  }
}
