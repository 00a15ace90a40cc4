/** 警戒レベル: the five-step scale JMA's warnings and the municipality's 避難情報 share (1 lowest, 5 highest). */
export type AlertLevel = 1 | 2 | 3 | 4 | 5;

/** 災害種別: the hazard a warning or an evacuation order is about. */
export enum Hazard {
  HeavyRain = 'heavy_rain',
  Landslide = 'landslide',
  Inundation = 'inundation',
  Flood = 'flood',
  StormSurge = 'storm_surge',
  Tsunami = 'tsunami',
  Earthquake = 'earthquake',
  Other = 'other',
}

/** The Japanese name of each hazard as notices write it (「洪水に関する警戒レベル４」). */
export const HAZARD_NAMES_JA: Readonly<Record<Hazard, string>> = {
  [Hazard.HeavyRain]: '大雨',
  [Hazard.Landslide]: '土砂災害',
  [Hazard.Inundation]: '浸水',
  [Hazard.Flood]: '洪水',
  [Hazard.StormSurge]: '高潮',
  [Hazard.Tsunami]: '津波',
  [Hazard.Earthquake]: '地震',
  [Hazard.Other]: 'その他',
};
