import { Injectable } from '@nestjs/common';
import {
  type AlertProblem,
  type AlertTexts,
  assertNoErrors,
  type Channel,
  namedTargets,
  type Targeting,
  targetingProblems,
  textProblems,
} from '@bousai/domain';
import { AudienceRepository } from '@bousai/persistence';

/** What the checks read of an alert. */
export interface CheckedAlert {
  municipalityId: string;
  texts: AlertTexts;
  targeting: Targeting;
  channels: readonly Channel[];
}

/**
 * The checks an alert passes before it can go out (rules in libs/domain `alert-checks`): every district, household
 * and JMA code it names exists in the municipality; every text says something and fits each channel's hard limit.
 */
@Injectable()
export class AlertChecks {
  constructor(private readonly audience: AudienceRepository) {}

  async problems(alert: CheckedAlert): Promise<AlertProblem[]> {
    const unknown = await this.audience.unknownTargets(alert.municipalityId, namedTargets(alert.targeting));
    return [...targetingProblems(unknown), ...textProblems(alert.texts, alert.channels)];
  }

  /** Throws `AlertRejectedError` (422) naming every problem that refuses the alert. */
  async assertSendable(alert: CheckedAlert): Promise<void> {
    assertNoErrors(await this.problems(alert));
  }
}
