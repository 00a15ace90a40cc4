import { Injectable } from '@nestjs/common';
import { answerTarget, assertMayAnswerForMember, type ResponseChannel } from '@bousai/domain';
import { type HouseholdMemberSafety, SafetyRepository } from '@bousai/persistence';
import type { ResidentCaller } from '../auth/principal';
import {
  type AnswerInput,
  type AnswerRequest,
  type RecordedSafetyAnswer,
  SafetyAnswersUseCase,
} from './safety-answers.use-case';
import type { HouseholdMemberSafetyDto } from './safety.dto';

/**
 * 家族の安否: an enrolled resident sees the other members of their household an alert asked for their safety,
 * each with their current answer, and answers for them in one tap. The rule (same household, asked by the alert)
 * is `assertMayAnswerForMember`; the answer is recorded through the one path of every answer, as the member's,
 * with the resident who gave it kept on the response.
 */
@Injectable()
export class HouseholdSafetyUseCase {
  constructor(
    private readonly safety: SafetyRepository,
    private readonly answers: SafetyAnswersUseCase,
  ) {}

  async members(me: ResidentCaller, alertId: string): Promise<HouseholdMemberSafetyDto[]> {
    const rows = await this.household(me, alertId);
    const names = new Map(rows.map((r) => [r.residentId, r.displayName]));
    return rows
      .filter((r) => r.asked && r.residentId !== me.residentId)
      .map((r) => ({
        residentId: r.residentId,
        displayName: r.displayName,
        currentStatus: r.currentStatus,
        answeredAt: r.answeredAt,
        answeredByName: r.answeredByResidentId ? (names.get(r.answeredByResidentId) ?? null) : null,
        answeredByMe: r.answeredByResidentId === me.residentId,
      }));
  }

  async answer(
    me: ResidentCaller,
    alertId: string,
    memberId: string,
    input: AnswerInput,
    via: ResponseChannel.App | ResponseChannel.Pwa,
    request: AnswerRequest,
  ): Promise<RecordedSafetyAnswer> {
    const member = (await this.household(me, alertId)).find((r) => r.residentId === memberId);
    assertMayAnswerForMember(me, member, member?.asked ?? false);
    return this.answers.answerForHouseholdMember(me, memberId, alertId, input, via, request);
  }

  /** The caller's household with the requests of the alert answers count for (the newest correction asking it). */
  private async household(me: ResidentCaller, alertId: string): Promise<HouseholdMemberSafety[]> {
    if (!me.householdId) return [];
    const revisions = await this.safety.revisions(
      alertId,
      { householdId: me.householdId },
      me.municipalityId,
    );
    const target = answerTarget(revisions) ?? alertId;
    return this.safety.householdSafety(me.municipalityId, target, me.householdId);
  }
}
