import { Injectable } from '@nestjs/common';
import { ActorType, answerTarget, ResponseChannel, type SafetyStatus } from '@bousai/domain';
import { AuditRepository, SafetyRepository } from '@bousai/persistence';

export interface ReceiverSafetyAnswer {
  endpointId: string;
  municipalityId: string;
  householdId: string | null;
  alertId: string;
  answer: SafetyStatus;
  pressedAt: Date | null;
}

/**
 * A household receiver's safety button: recorded as the answer of the household's 要援護者 who were asked (the
 * button is there for them), or of everyone of the household who was asked when none of them is one. Resolves to
 * whether anyone was asked; audited with the receiver as the actor.
 */
@Injectable()
export class ReceiverSafetyAnswerUseCase {
  constructor(
    private readonly safety: SafetyRepository,
    private readonly audit: AuditRepository,
  ) {}

  async execute(input: ReceiverSafetyAnswer): Promise<boolean> {
    if (!input.householdId) return false;
    // pressed for an alert a correction replaced: it counts for the newest correction that asked the household
    const alertId =
      answerTarget(
        await this.safety.revisions(input.alertId, { householdId: input.householdId }, input.municipalityId),
      ) ?? input.alertId;
    const recorded = await this.safety.recordForHousehold({
      municipalityId: input.municipalityId,
      alertId,
      householdId: input.householdId,
      status: input.answer,
      channel: ResponseChannel.Receiver,
      deviceTime: input.pressedAt,
    });
    if (recorded.residentIds.length === 0) return false;
    await this.audit.append({
      municipalityId: input.municipalityId,
      actorType: ActorType.Receiver,
      actorId: input.endpointId,
      action: 'safety.answer',
      targetType: 'safety_request',
      targetIds: recorded.residentIds,
      details: {
        alertId,
        status: input.answer,
        channel: ResponseChannel.Receiver,
        responses: recorded.responseIds.length,
      },
      requestId: null,
    });
    return true;
  }
}
