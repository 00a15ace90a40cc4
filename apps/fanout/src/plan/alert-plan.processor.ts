import { Injectable } from '@nestjs/common';
import { type JobPayload, type JobProcessor, PlanAlertJob } from '@bousai/queue';
import { PlanAlertUseCase } from './plan-alert.use-case';

/** `alert.plan`: expands the alert into deliveries and batch jobs. */
@Injectable()
export class AlertPlanProcessor implements JobProcessor {
  readonly contract = PlanAlertJob;
  readonly queue = PlanAlertJob.queue;
  readonly name = PlanAlertJob.name;

  constructor(private readonly plan: PlanAlertUseCase) {}

  async process({ alertId }: JobPayload<typeof PlanAlertJob>): Promise<void> {
    await this.plan.execute(alertId);
  }
}
