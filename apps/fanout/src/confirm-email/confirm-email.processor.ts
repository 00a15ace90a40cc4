import { Injectable } from '@nestjs/common';
import { ConfirmEmailJob, type JobPayload, type JobProcessor } from '@bousai/queue';
import { ConfirmEmailUseCase } from './confirm-email.use-case';

/** `email.confirm`: mails the confirmation link of a resident's new email address. */
@Injectable()
export class ConfirmEmailProcessor implements JobProcessor {
  readonly contract = ConfirmEmailJob;
  readonly queue = ConfirmEmailJob.queue;
  readonly name = ConfirmEmailJob.name;

  constructor(private readonly confirm: ConfirmEmailUseCase) {}

  async process(payload: JobPayload<typeof ConfirmEmailJob>): Promise<void> {
    await this.confirm.execute(payload);
  }
}
