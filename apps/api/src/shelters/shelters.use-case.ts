import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  admitCheckIn,
  AlertStatus,
  closeShelter,
  type Crowding,
  DomainError,
  ErrorCode,
  NotFoundError,
  openShelter,
  setHeadCount,
  setStaffCrowding,
  type ShelterKind,
  type ShelterOperatingState,
  ShelterStatus,
  signShelterQrToken,
  verifyShelterQrToken,
} from '@bousai/domain';
import {
  CheckInBy,
  type CheckInView,
  type CheckInWho,
  ShelterRepository,
  type ShelterState,
  shelterStateOf,
  type ShelterView,
  type Transaction,
  TransactionRunner,
} from '@bousai/persistence';
import { SafetyAnswersUseCase } from '../safety/safety-answers.use-case';

/** Alerts whose safety requests are still open: a check-in answers them. A closed alert's request is history. */
const OPEN_ALERTS = [AlertStatus.Approved, AlertStatus.Dispatching, AlertStatus.Sent];

export interface CheckInResult {
  counted: boolean;
  checkIn: CheckInView;
  shelter: ShelterView;
  safetyAnswers: { alertId: string; residentId: string }[];
}

/**
 * A shelter's day: opened, counted (by staff or by check-ins), crowding set, closed; and check-ins, each of which
 * answers the resident's open safety requests as `safe`, at this shelter.
 */
@Injectable()
export class SheltersUseCase {
  constructor(
    private readonly shelters: ShelterRepository,
    private readonly tx: TransactionRunner,
    private readonly safety: SafetyAnswersUseCase,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  open(municipalityId: string, id: string, operatorId: string): Promise<ShelterView> {
    return this.change(municipalityId, id, operatorId, (s) => openShelter(s, new Date()));
  }

  close(municipalityId: string, id: string, operatorId: string): Promise<ShelterView> {
    return this.change(municipalityId, id, operatorId, (s) => closeShelter(s));
  }

  setCrowding(municipalityId: string, id: string, operatorId: string, level: Crowding): Promise<ShelterView> {
    return this.change(municipalityId, id, operatorId, (s) => setStaffCrowding(s, level));
  }

  setHeadCount(
    municipalityId: string,
    id: string,
    operatorId: string,
    headCount: number,
  ): Promise<ShelterView> {
    return this.change(municipalityId, id, operatorId, (s) => setHeadCount(s, headCount, s.capacity));
  }

  /** Staff at the desk check in a resident, a household or a person by name. */
  checkInByStaff(
    municipalityId: string,
    shelterId: string,
    operatorId: string,
    who: { residentId?: string; householdId?: string; name?: string; people?: number },
  ): Promise<CheckInResult> {
    const given = [who.residentId, who.householdId, who.name].filter((v) => v !== undefined);
    if (given.length !== 1) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'Give exactly one of residentId, householdId or name',
        {
          fields: ['residentId', 'householdId', 'name'],
        },
      );
    }
    const target: CheckInWho = who.residentId
      ? { residentId: who.residentId }
      : who.householdId
        ? { householdId: who.householdId }
        : { name: (who.name ?? '').trim(), people: who.people ?? 1 };
    return this.checkIn(municipalityId, shelterId, target, { checkedInBy: CheckInBy.Staff, operatorId });
  }

  /** A resident scanned the shelter's QR code in the app. */
  checkInWithCode(me: { municipalityId: string; residentId: string }, token: string): Promise<CheckInResult> {
    const claims = verifyShelterQrToken(token, this.secret());
    if (claims.municipalityId !== me.municipalityId) {
      throw new DomainError(ErrorCode.Forbidden, 'This shelter belongs to another municipality');
    }
    return this.checkIn(
      me.municipalityId,
      claims.shelterId,
      { residentId: me.residentId },
      { checkedInBy: CheckInBy.Self, operatorId: null },
    );
  }

  /** The token to print on the shelter's QR code. */
  async qrToken(municipalityId: string, shelterId: string): Promise<string> {
    await this.shelters.get(municipalityId, shelterId);
    return signShelterQrToken({ municipalityId, shelterId }, this.secret());
  }

  private async checkIn(
    municipalityId: string,
    shelterId: string,
    who: CheckInWho,
    by: { checkedInBy: CheckInBy; operatorId: string | null },
  ): Promise<CheckInResult> {
    const outcome = await this.tx.run(async (em) => {
      const shelter = await this.shelters.lockForUpdate(em, municipalityId, shelterId);
      if (!shelter) throw new NotFoundError('shelter', shelterId);
      const residentIds = await this.shelters.membersOf(em, municipalityId, who);
      if (residentIds === undefined) {
        if ('residentId' in who) throw new NotFoundError('resident', who.residentId);
        throw new NotFoundError('household', 'householdId' in who ? who.householdId : '');
      }
      const people =
        'residentId' in who ? 1 : 'householdId' in who ? Math.max(residentIds.length, 1) : who.people;
      // the domain refuses a closed shelter before anything is written
      const next = admitCheckIn(shelterStateOf(shelter), people, shelter.capacity);
      // a resident or household already checked in since the shelter opened is not counted twice
      const earlier = await this.shelters.earlierCheckIn(em, shelterId, shelter.openedAt, who);
      if (earlier) return { counted: false, checkIn: earlier, shelter, residentIds };
      const checkIn = await this.shelters.insertCheckIn(em, municipalityId, shelterId, who, people, by);
      await this.shelters.saveState(em, shelterId, next, by.operatorId ?? undefined);
      return {
        counted: true,
        checkIn,
        shelter: await this.shelters.get(municipalityId, shelterId, em),
        residentIds,
      };
    });
    // the people checked in are safe, at this shelter: every open request that asked them is answered so
    const requests = await this.shelters.openSafetyRequests(municipalityId, outcome.residentIds, OPEN_ALERTS);
    const safetyAnswers: CheckInResult['safetyAnswers'] = [];
    for (const request of requests) {
      const recorded = await this.safety.recordAtShelter(
        municipalityId,
        request.alertId,
        request.residentId,
        outcome.shelter.name,
        by.operatorId,
      );
      safetyAnswers.push({ alertId: recorded.alertId, residentId: request.residentId });
    }
    let checkIn = outcome.checkIn;
    if (safetyAnswers.length > 0 && checkIn.alertId === null) {
      await this.shelters.setCheckInAlert(checkIn.id, safetyAnswers[0].alertId);
      checkIn = { ...checkIn, alertId: safetyAnswers[0].alertId };
    }
    return { counted: outcome.counted, checkIn, shelter: outcome.shelter, safetyAnswers };
  }

  list(
    municipalityId: string,
    filter: { status?: ShelterStatus; kind?: ShelterKind } = {},
  ): Promise<ShelterView[]> {
    return this.shelters.list(municipalityId, filter);
  }

  get(municipalityId: string, id: string): Promise<ShelterView> {
    return this.shelters.get(municipalityId, id);
  }

  checkIns(municipalityId: string, shelterId: string): Promise<CheckInView[]> {
    return this.shelters.checkIns(municipalityId, shelterId);
  }

  /** The open shelters a resident sees, with the district they live in (those serving it come first). */
  async forResident(me: {
    municipalityId: string;
    residentId: string;
  }): Promise<{ open: ShelterView[]; areaId: string | null }> {
    const [open, areaId] = await Promise.all([
      this.shelters.list(me.municipalityId, { status: ShelterStatus.Open }),
      this.shelters.residentAreaId(me.residentId),
    ]);
    return { open, areaId };
  }

  /** The open shelters of the municipality a public code (6 digits) names. */
  async publicOpen(code: string): Promise<{ municipality: string; open: ShelterView[] }> {
    const municipality = /^\d{6}$/.test(code) ? await this.shelters.municipalityByCode(code) : undefined;
    if (!municipality) throw new NotFoundError('municipality', code);
    const open = await this.shelters.list(municipality.id, { status: ShelterStatus.Open });
    return { municipality: municipality.name, open };
  }

  /** One step of a shelter's day on its locked row: the domain computes the next state, the row stores it. */
  private change(
    municipalityId: string,
    id: string,
    operatorId: string,
    next: (current: ShelterState) => ShelterOperatingState,
  ): Promise<ShelterView> {
    return this.tx.run(async (em: Transaction) => {
      const current = await this.shelters.lockForUpdate(em, municipalityId, id);
      if (!current) throw new NotFoundError('shelter', id);
      await this.shelters.saveState(em, id, next(shelterStateOf(current)), operatorId);
      return this.shelters.get(municipalityId, id, em);
    });
  }

  private secret(): string {
    const secret = this.config.ONE_TAP_SECRET;
    if (!secret) {
      throw new DomainError(ErrorCode.Unavailable, 'shelter QR codes are not configured (ONE_TAP_SECRET)');
    }
    return secret;
  }
}
