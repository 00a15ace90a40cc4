import { DomainError, ErrorCode } from '../errors';

/**
 * The eight hazards a 指定緊急避難場所 is designated for (災害対策基本法 施行令 第20条の3; the eight flags of the
 * Digital Agency's 自治体標準オープンデータセット and of GSI's 指定緊急避難場所データ). A place is safe only for the
 * hazards it is designated for: a school gym may be fine in an earthquake and under water in a flood.
 */
export enum ShelterHazard {
  /** 洪水 */
  Flood = 'flood',
  /** 崖崩れ、土石流及び地滑り */
  Landslide = 'landslide',
  /** 高潮 */
  StormSurge = 'storm_surge',
  /** 地震 */
  Earthquake = 'earthquake',
  /** 津波 */
  Tsunami = 'tsunami',
  /** 大規模な火事 */
  LargeFire = 'large_fire',
  /** 内水氾濫 */
  InlandFlood = 'inland_flood',
  /** 火山現象 */
  Volcano = 'volcano',
}

/** The flags in the order both open-data formats list them, with the words they use. */
export const SHELTER_HAZARD_LABELS: Readonly<Record<ShelterHazard, string>> = {
  [ShelterHazard.Flood]: '洪水',
  [ShelterHazard.Landslide]: '崖崩れ、土石流及び地滑り',
  [ShelterHazard.StormSurge]: '高潮',
  [ShelterHazard.Earthquake]: '地震',
  [ShelterHazard.Tsunami]: '津波',
  [ShelterHazard.LargeFire]: '大規模な火事',
  [ShelterHazard.InlandFlood]: '内水氾濫',
  [ShelterHazard.Volcano]: '火山現象',
};

export const SHELTER_HAZARDS: readonly ShelterHazard[] = Object.values(ShelterHazard);

/**
 * 指定緊急避難場所 (a place to flee to while the danger is imminent, per hazard) or 指定避難所 (a building to stay in
 * until it is safe to go home). A municipality publishes one list of each; a place on both is two designations.
 */
export enum ShelterKind {
  EmergencySite = 'emergency_site',
  Shelter = 'shelter',
}

/** 開設状況: a shelter is closed until the office opens it (開設) and closed again (閉鎖) when no longer needed. */
export enum ShelterStatus {
  Closed = 'closed',
  Open = 'open',
}

/** 混雑状況 in the four levels residents know from VACAN's shelter maps. */
export enum Crowding {
  /** 空き: under 30 % of capacity. */
  Available = 'available',
  /** やや混雑: 30 % to under 60 %. */
  SomewhatCrowded = 'somewhat_crowded',
  /** 混雑: 60 % to under 80 %. */
  Crowded = 'crowded',
  /** 満: 80 % and more. */
  Full = 'full',
}

export const CROWDING_LABELS: Readonly<Record<Crowding, string>> = {
  [Crowding.Available]: '空き',
  [Crowding.SomewhatCrowded]: 'やや混雑',
  [Crowding.Crowded]: '混雑',
  [Crowding.Full]: '満',
};

/** Who set the crowding level: staff on site (a judgement) or the head count against the capacity. */
export enum CrowdingSource {
  Staff = 'staff',
  Count = 'count',
}

/**
 * The level a head count means against the capacity (想定収容人数), at VACAN's thresholds: 空き < 30 %,
 * やや混雑 30–60 %, 混雑 60–80 %, 満 ≥ 80 %. Compared in integers (count × 10 against capacity × 3, …) so a
 * boundary is never missed by floating point. Null without a capacity: a count alone says nothing about room.
 */
export function crowdingFromCount(headCount: number, capacity: number | null): Crowding | null {
  if (!Number.isInteger(headCount) || headCount < 0) {
    throw new DomainError(ErrorCode.ValidationFailed, 'head count must be a whole number from 0', {
      field: 'headCount',
    });
  }
  if (capacity === null || capacity <= 0) return null;
  const tenths = headCount * 10;
  if (tenths >= capacity * 8) return Crowding.Full;
  if (tenths >= capacity * 6) return Crowding.Crowded;
  if (tenths >= capacity * 3) return Crowding.SomewhatCrowded;
  return Crowding.Available;
}

/** What the office tracks of a shelter while it is in use. */
export interface ShelterOperatingState {
  status: ShelterStatus;
  openedAt: Date | null;
  crowding: Crowding | null;
  crowdingSource: CrowdingSource | null;
  headCount: number;
}

function illegal(message: string, status: ShelterStatus): DomainError {
  return new DomainError(ErrorCode.IllegalTransition, message, { status });
}

/** 開設: closed → open, counted from zero; opening an open shelter is refused (it would reset its count). */
export function openShelter(current: ShelterOperatingState, now: Date): ShelterOperatingState {
  if (current.status !== ShelterStatus.Closed) throw illegal('The shelter is already open', current.status);
  return {
    status: ShelterStatus.Open,
    openedAt: now,
    crowding: null,
    crowdingSource: null,
    headCount: 0,
  };
}

/** 閉鎖: open → closed; the count and the level go with it (the check-ins stay as the record). */
export function closeShelter(current: ShelterOperatingState): ShelterOperatingState {
  if (current.status !== ShelterStatus.Open) throw illegal('The shelter is not open', current.status);
  return { status: ShelterStatus.Closed, openedAt: null, crowding: null, crowdingSource: null, headCount: 0 };
}

function requireOpen(current: ShelterOperatingState, what: string): void {
  if (current.status !== ShelterStatus.Open) {
    throw illegal(`${what} is kept only while the shelter is open`, current.status);
  }
}

/** Staff judge the level themselves: it stands until they give a head count again. */
export function setStaffCrowding(current: ShelterOperatingState, level: Crowding): ShelterOperatingState {
  requireOpen(current, 'Crowding');
  return { ...current, crowding: level, crowdingSource: CrowdingSource.Staff };
}

/**
 * Staff count the people present: the count replaces the running one and the level follows from it (a staff
 * level is replaced too: a fresh count is the better information). Without a capacity the level stays unknown.
 */
export function setHeadCount(
  current: ShelterOperatingState,
  headCount: number,
  capacity: number | null,
): ShelterOperatingState {
  requireOpen(current, 'A head count');
  const crowding = crowdingFromCount(headCount, capacity);
  return {
    ...current,
    headCount,
    crowding,
    crowdingSource: crowding === null ? null : CrowdingSource.Count,
  };
}

/**
 * The level after check-ins brought the count to `headCount`: derived from it unless staff set the level
 * themselves, which stands until they give a count.
 */
export function crowdingAfterCheckIn(
  current: Pick<ShelterOperatingState, 'crowding' | 'crowdingSource'>,
  headCount: number,
  capacity: number | null,
): { crowding: Crowding | null; crowdingSource: CrowdingSource | null } {
  if (current.crowdingSource === CrowdingSource.Staff) {
    return { crowding: current.crowding, crowdingSource: current.crowdingSource };
  }
  const crowding = crowdingFromCount(headCount, capacity);
  return { crowding, crowdingSource: crowding === null ? null : CrowdingSource.Count };
}

/**
 * 受付: `people` arrive. Only an open shelter takes check-ins (a closed one has nobody at the desk and must not be
 * shown as holding people); the count grows and the level follows unless staff set it.
 */
export function admitCheckIn(
  current: ShelterOperatingState,
  people: number,
  capacity: number | null,
): ShelterOperatingState {
  if (current.status !== ShelterStatus.Open) throw illegal('The shelter is not open', current.status);
  if (!Number.isInteger(people) || people < 1) {
    throw new DomainError(ErrorCode.ValidationFailed, 'people must be a whole number from 1', {
      field: 'people',
    });
  }
  const headCount = current.headCount + people;
  return { ...current, headCount, ...crowdingAfterCheckIn(current, headCount, capacity) };
}
