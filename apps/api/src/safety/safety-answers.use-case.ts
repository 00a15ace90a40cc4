import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  ActorType,
  AlertStatus,
  answerTarget,
  DomainError,
  ErrorCode,
  type EscalationOutcome,
  NotFoundError,
  OneTapPurpose,
  type OneTapClaims,
  parseSafetyAnswer,
  parseSupporterCheckAnswer,
  ResponseChannel,
  type SafetyGroup,
  SafetyStatus,
  verifyOneTapToken,
} from '@bousai/domain';
import {
  AlertRepository,
  type AnswerAudit,
  EscalationRepository,
  type RecordedAnswer,
  SafetyRepository,
} from '@bousai/persistence';
import { SafetyAnswerWriter } from './safety-answer.writer';

/** Alerts people may be asked about: approved or later, and not withdrawn. */
const ASKABLE = new Set<string>([
  AlertStatus.Approved,
  AlertStatus.Dispatching,
  AlertStatus.Sent,
  AlertStatus.Closed,
]);

export interface AnswerInput {
  answer: unknown;
  note?: string;
  location?: { lat: number; lng: number };
}

export interface RecordedSafetyAnswer extends RecordedAnswer {
  alertId: string;
  residentId: string;
  currentStatus: SafetyStatus;
}

/** The request an answer came with: its id goes in the answer's audit row. */
export interface AnswerRequest {
  requestId: string | null;
}

export type SupporterCheckResult =
  | { kind: 'recorded'; taskId: string; outcome: EscalationOutcome; followUp: boolean }
  | { kind: 'closed'; taskId: string };

/**
 * 安否確認 answers from every way they arrive — the resident's app or PWA, a one-tap link, an operator who took it
 * by phone or on a visit — and supporters' reports. Every answer is kept; the latest is the current status; any
 * answer stops the person's escalation ladder — in the statement that records it, with the answer's audit row
 * (`SafetyAnswerWriter`: answers arriving together are recorded together).
 */
@Injectable()
export class SafetyAnswersUseCase {
  constructor(
    private readonly safety: SafetyRepository,
    private readonly escalation: EscalationRepository,
    private readonly alerts: AlertRepository,
    private readonly writer: SafetyAnswerWriter,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Asks the residents the groups and districts select (explicit request; alerts with the flag ask on dispatch). */
  async ask(
    municipalityId: string,
    alertId: string,
    body: { groups?: SafetyGroup[]; areaIds?: string[] },
  ): Promise<{ alertId: string; asked: number }> {
    const alert = await this.alerts.get(municipalityId, alertId);
    if (!ASKABLE.has(alert.status)) {
      throw new DomainError(
        ErrorCode.IllegalTransition,
        `Safety can be asked for approved, dispatched, sent or closed alerts, not ${alert.status} ones`,
        { status: alert.status },
      );
    }
    const groups = body.groups ?? [];
    const areaIds = body.areaIds ?? [];
    // those who answered the alert this one corrects keep their answer and are not counted as asked again
    const { asked } = await this.safety.ask(alertId, municipalityId, {
      everywhere: areaIds.length === 0,
      areaIds,
      householdIds: [],
      jmaCodes: [],
      groups: groups.includes('everyone') ? [] : groups,
    });
    return { alertId, asked };
  }

  answerAsResident(
    me: { municipalityId: string; residentId: string },
    alertId: string,
    input: AnswerInput,
    channel: ResponseChannel.App | ResponseChannel.Pwa,
    request: AnswerRequest,
  ): Promise<RecordedSafetyAnswer> {
    return this.record(me.municipalityId, alertId, me.residentId, input, channel, null, {
      audit: answerAudit('safety.answer', ActorType.Resident, me.residentId, [alertId], request),
    });
  }

  /** 家族の安否: `me` answers for `memberId` (the caller checks the household rule); kept as the member's answer. */
  answerForHouseholdMember(
    me: { municipalityId: string; residentId: string },
    memberId: string,
    alertId: string,
    input: AnswerInput,
    channel: ResponseChannel.App | ResponseChannel.Pwa,
    request: AnswerRequest,
  ): Promise<RecordedSafetyAnswer> {
    return this.record(me.municipalityId, alertId, memberId, input, channel, null, {
      answeredByResidentId: me.residentId,
      audit: answerAudit(
        'safety.answer_for_member',
        ActorType.Resident,
        me.residentId,
        [alertId, memberId],
        request,
      ),
    });
  }

  recordByOperator(
    municipalityId: string,
    alertId: string,
    operatorId: string,
    input: AnswerInput & { residentId: string; channel: ResponseChannel.Phone | ResponseChannel.Visit },
    request: AnswerRequest,
  ): Promise<RecordedSafetyAnswer> {
    return this.record(municipalityId, alertId, input.residentId, input, input.channel, operatorId, {
      audit: answerAudit('safety.record', ActorType.Operator, operatorId, [alertId], request),
    });
  }

  /**
   * A check-in at a shelter answers the resident's request as `safe`, the shelter named in the note, through the
   * same path as every other answer (counters, live view, escalation stop). `recordedBy`: the staff member at the
   * desk, or null when the resident checked in with the shelter's QR code.
   */
  recordAtShelter(
    municipalityId: string,
    alertId: string,
    residentId: string,
    shelterName: string,
    recordedBy: string | null,
  ): Promise<RecordedSafetyAnswer> {
    const note = `避難先: ${shelterName}`;
    const answer = { answer: SafetyStatus.Safe, note };
    return this.record(municipalityId, alertId, residentId, answer, ResponseChannel.Shelter, recordedBy);
  }

  /** What a one-tap safety link would record; refuses forged, altered, expired and other-purpose tokens. */
  verifySafetyLink(token: string): OneTapClaims & { alertId: string; answer: string } {
    const claims = verifyOneTapToken(token, this.secret(), { purpose: OneTapPurpose.SafetyAnswer });
    if (!claims.alertId || !claims.answer) {
      throw new DomainError(ErrorCode.TokenInvalid, 'one-tap link is invalid: no alert or answer');
    }
    parseSafetyAnswer({ answer: claims.answer });
    return { ...claims, alertId: claims.alertId, answer: claims.answer };
  }

  /**
   * Records a one-tap answer. `claimedAnswer` is what the confirm page posted: a token is good for the one answer
   * it was made for, so a token replayed with another answer is refused rather than silently re-interpreted.
   */
  async answerByLink(
    token: string,
    claimedAnswer: string | undefined,
    request: AnswerRequest,
  ): Promise<RecordedSafetyAnswer> {
    const claims = this.verifySafetyLink(token);
    if (claimedAnswer !== undefined && claimedAnswer !== claims.answer) {
      throw new DomainError(ErrorCode.Forbidden, 'this link was made for another answer', {
        reason: 'answer_mismatch',
      });
    }
    return this.record(
      undefined,
      claims.alertId,
      claims.residentId,
      { answer: claims.answer },
      ResponseChannel.Link,
      null,
      { audit: answerAudit('safety.answer', ActorType.System, null, [], request) },
    );
  }

  verifySupporterLink(token: string): { claims: OneTapClaims; taskId: string; outcome: EscalationOutcome } {
    const claims = verifyOneTapToken(token, this.secret(), { purpose: OneTapPurpose.SupporterCheck });
    if (!claims.alertId) throw new DomainError(ErrorCode.TokenInvalid, 'one-tap link is invalid: no alert');
    try {
      return { claims, ...parseSupporterCheckAnswer(claims.answer) };
    } catch {
      throw new DomainError(ErrorCode.TokenInvalid, 'one-tap link is invalid: malformed check');
    }
  }

  async supporterCheck(token: string, claimedOutcome: string | undefined): Promise<SupporterCheckResult> {
    const { claims, taskId, outcome } = this.verifySupporterLink(token);
    if (claimedOutcome !== undefined && claimedOutcome !== (outcome as string)) {
      throw new DomainError(ErrorCode.Forbidden, 'this link was made for another outcome', {
        reason: 'answer_mismatch',
      });
    }
    const alertId = claims.alertId ?? '';
    // a check on an alert a correction replaced: what the supporter found answers the correction too
    const answersFor =
      answerTarget(await this.safety.revisions(alertId, { residentId: claims.residentId })) ?? alertId;
    const result = await this.escalation.answerSupporterTask(
      taskId,
      alertId,
      claims.residentId,
      outcome,
      answersFor,
    );
    switch (result.kind) {
      case 'recorded':
        return { kind: 'recorded', taskId, outcome, followUp: result.followUp };
      case 'closed':
        return { kind: 'closed', taskId };
      case 'unknown':
        throw new NotFoundError('escalation_task', taskId);
    }
  }

  private async record(
    municipalityId: string | undefined,
    alertId: string,
    residentId: string,
    input: AnswerInput,
    channel: ResponseChannel,
    recordedBy: string | null,
    extra: { answeredByResidentId?: string; audit?: AnswerAudit } = {},
  ): Promise<RecordedSafetyAnswer> {
    const answer = parseSafetyAnswer(input);
    const recorded = await this.writer.record({
      municipalityId,
      alertId,
      residentId,
      status: answer.status,
      note: answer.note,
      location: answer.location,
      channel,
      recordedBy,
      answeredByResidentId: extra.answeredByResidentId ?? null,
      audit: extra.audit,
    });
    if (!recorded) {
      throw new DomainError(
        ErrorCode.NotFound,
        'This resident was not asked to confirm their safety for this alert',
        {
          entity: 'safety_request',
          alertId,
        },
      );
    }
    return { ...recorded, residentId, currentStatus: answer.status };
  }

  private secret(): string {
    const secret = this.config.ONE_TAP_SECRET;
    if (!secret)
      throw new DomainError(ErrorCode.Unavailable, 'one-tap links are not configured (ONE_TAP_SECRET)');
    return secret;
  }
}

/** The audit row of an answer: who gave it and the ids the request named (the writer adds the rest). */
function answerAudit(
  action: string,
  actorType: ActorType,
  actorId: string | null,
  targetIds: string[],
  request: AnswerRequest,
): AnswerAudit {
  return { action, actorType, actorId, targetIds, requestId: request.requestId };
}
