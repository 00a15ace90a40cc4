/**
 * The shared vocabulary of the 警戒レベル scheme (docs/feeds.md §6, §8): JMA's level-named warnings and the
 * municipality's 避難情報 are both expressed as a level and a hazard.
 */

/** 警戒レベル 1–5 (1 早期注意情報, 2 注意報, 3 警報 / 高齢者等避難, 4 危険警報 / 避難指示, 5 特別警報 / 緊急安全確保). */
export type AlertLevel = 1 | 2 | 3 | 4 | 5;

/** The phenomenon a warning or an evacuation order is about (大雨, 土砂災害, 浸水, 洪水・氾濫, 高潮 …). */
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

export const ALERT_LEVELS: readonly AlertLevel[] = [1, 2, 3, 4, 5];

export function isAlertLevel(n: unknown): n is AlertLevel {
  return typeof n === 'number' && (ALERT_LEVELS as readonly number[]).includes(n);
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

/** The English name of each hazard, as a label (public pages). */
export const HAZARD_NAMES_EN: Readonly<Record<Hazard, string>> = {
  [Hazard.HeavyRain]: 'Heavy rain',
  [Hazard.Landslide]: 'Landslide',
  [Hazard.Inundation]: 'Inundation',
  [Hazard.Flood]: 'Flood',
  [Hazard.StormSurge]: 'Storm surge',
  [Hazard.Tsunami]: 'Tsunami',
  [Hazard.Earthquake]: 'Earthquake',
  [Hazard.Other]: 'Other',
};
