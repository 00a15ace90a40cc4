import { Hazard } from '../hazard';
import { ShelterHazard, ShelterStatus } from './shelter';

/**
 * The designations a place needs to be safe from an order's hazard (the one vocabulary of `Hazard`): every flag listed. 大雨 brings both
 * 土砂災害 and 浸水 (rivers and drains), so a place must be designated for all three; a flood-proof hall at the
 * foot of a slope is no refuge in heavy rain.
 */
export const SHELTER_FLAGS_FOR: Readonly<Record<Hazard, readonly ShelterHazard[]>> = {
  [Hazard.HeavyRain]: [ShelterHazard.Landslide, ShelterHazard.Flood, ShelterHazard.InlandFlood],
  [Hazard.Landslide]: [ShelterHazard.Landslide],
  [Hazard.Flood]: [ShelterHazard.Flood],
  // 浸水 from drains and small rivers: the open-data flag is 内水氾濫
  [Hazard.Inundation]: [ShelterHazard.InlandFlood],
  [Hazard.StormSurge]: [ShelterHazard.StormSurge],
  [Hazard.Tsunami]: [ShelterHazard.Tsunami],
  [Hazard.Earthquake]: [ShelterHazard.Earthquake],
  // a hazard the lists have no flag for: no designation can be asked for, every open place is named
  [Hazard.Other]: [],
};

/** True when the place is designated for everything the hazard brings. */
export function isSuitableFor(hazards: readonly ShelterHazard[], hazard: Hazard): boolean {
  return SHELTER_FLAGS_FOR[hazard].every((flag) => hazards.includes(flag));
}

export interface ShelterForOrder {
  name: string;
  status: ShelterStatus;
  hazards: readonly ShelterHazard[];
  /** Districts (`area` ids) it serves; empty when the list names none, which means the whole municipality. */
  areaIds: readonly string[];
}

/**
 * The shelters an order's message may name: open, designated for its hazard, and serving one of its districts
 * (`areaIds` null: the order covers the whole municipality). Naming a closed place or one unsafe for the hazard
 * would send people to a locked door or into the danger. In the order given, each name once.
 */
export function shelterNamesForOrder(
  shelters: readonly ShelterForOrder[],
  order: { hazard: Hazard; areaIds: readonly string[] | null },
): string[] {
  const names = shelters
    .filter((s) => s.status === ShelterStatus.Open && isSuitableFor(s.hazards, order.hazard))
    .filter(
      (s) =>
        order.areaIds === null || s.areaIds.length === 0 || s.areaIds.some((a) => order.areaIds?.includes(a)),
    )
    .map((s) => s.name);
  return [...new Set(names)];
}
