import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@bousai/domain';
import {
  EscalationRepository,
  type FollowUpEntry,
  RosterRepository,
  SafetyRepository,
  type SafetyRequestView,
  type SafetySummaryRow,
} from '@bousai/persistence';

/** What staff read of 安否確認: counts per group and answer, one resident's answers, the follow-up list. */
@Injectable()
export class SafetyViewsUseCase {
  constructor(
    private readonly safety: SafetyRepository,
    private readonly escalation: EscalationRepository,
    private readonly roster: RosterRepository,
  ) {}

  summary(municipalityId: string, alertId: string): Promise<SafetySummaryRow[]> {
    return this.safety.summary(municipalityId, alertId);
  }

  async request(municipalityId: string, alertId: string, residentId: string): Promise<SafetyRequestView> {
    const view = await this.safety.request(municipalityId, alertId, residentId);
    if (!view) throw new NotFoundError('safety_request', residentId);
    return view;
  }

  /** Silent 要援護者 past T3, and those supporters handed over. */
  followUp(municipalityId: string, alertId: string): Promise<FollowUpEntry[]> {
    return this.escalation.followUpList(municipalityId, alertId);
  }

  /** The language a one-tap page speaks to this resident in; null when unknown. */
  residentLanguage(residentId: string): Promise<string | null> {
    return this.roster.residentLanguage(residentId);
  }
}
