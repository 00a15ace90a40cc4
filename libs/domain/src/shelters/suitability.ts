import { ShelterHazard, ShelterStatus } from './shelter';

/**
 * The hazard an evacuation order (避難情報) is issued for, as the 避難情報に関するガイドライン names them. Kept here,
 * small and local, until the orders module owns the vocabulary: only the mapping to shelter flags is ours.
 */
export type OrderHazard =
  | 'heavy_rain' // 大雨
  | 'landslide' // 土砂災害
  | 'flood' // 洪水・氾濫
  | 'inland_flood' // 内水氾濫
  | 'storm_surge' // 高潮
  | 'tsunami' // 津波
  | 'earthquake' // 地震
  | 'large_fire' // 大規模な火事
  | 'volcano'; // 火山

/**
 * The designations a place needs to be safe from an order's hazard: every flag listed. 大雨 brings both
 * 土砂災害 and 浸水 (rivers and drains), so a place must be designated for all three; a flood-proof hall at the
 * foot of a slope is no refuge in heavy rain.
 */
export const SHELTER_FLAGS_FOR: Readonly<Record<OrderHazard, readonly ShelterHazard[]>> = {
  heavy_rain: [ShelterHazard.Landslide, ShelterHazard.Flood, ShelterHazard.InlandFlood],
  landslide: [ShelterHazard.Landslide],
  flood: [ShelterHazard.Flood],
  inland_flood: [ShelterHazard.InlandFlood],
  storm_surge: [ShelterHazard.StormSurge],
  tsunami: [ShelterHazard.Tsunami],
  earthquake: [ShelterHazard.Earthquake],
  large_fire: [ShelterHazard.LargeFire],
  volcano: [ShelterHazard.Volcano],
};

/** True when the place is designated for everything the hazard brings. */
export function isSuitableFor(hazards: readonly ShelterHazard[], hazard: OrderHazard): boolean {
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
  order: { hazard: OrderHazard; areaIds: readonly string[] | null },
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
