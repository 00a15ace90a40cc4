import type { AlertLevel } from '../hazard';

/**
 * 避難情報 a municipality issues, by 警戒レベル (内閣府 避難情報に関するガイドライン, since 2021-05-20):
 * 3 高齢者等避難, 4 避難指示, 5 緊急安全確保. Levels 1 and 2 are JMA's alone; a municipality never issues them.
 */
export enum EvacuationLevel {
  ElderlyEvacuation = 3,
  EvacuationInstruction = 4,
  EmergencySafety = 5,
}

export const EVACUATION_LEVELS: readonly EvacuationLevel[] = [
  EvacuationLevel.ElderlyEvacuation,
  EvacuationLevel.EvacuationInstruction,
  EvacuationLevel.EmergencySafety,
];

export function isEvacuationLevel(value: unknown): value is EvacuationLevel {
  return (EVACUATION_LEVELS as readonly unknown[]).includes(value);
}

/** An evacuation level is an alert level of the shared scale. */
export function asAlertLevel(level: EvacuationLevel): AlertLevel {
  return level;
}

/** The official name of each level's 避難情報. */
export const EVACUATION_LEVEL_NAMES_JA: Readonly<Record<EvacuationLevel, string>> = {
  [EvacuationLevel.ElderlyEvacuation]: '高齢者等避難',
  [EvacuationLevel.EvacuationInstruction]: '避難指示',
  [EvacuationLevel.EmergencySafety]: '緊急安全確保',
};

/** The same in English, as bousai's English texts and pages name them. */
export const EVACUATION_LEVEL_NAMES_EN: Readonly<Record<EvacuationLevel, string>> = {
  [EvacuationLevel.ElderlyEvacuation]: 'Evacuation of older people and others who need time',
  [EvacuationLevel.EvacuationInstruction]: 'Evacuation instruction',
  [EvacuationLevel.EmergencySafety]: 'Emergency safety measures',
};

/** The level number as notices print it: full-width (警戒レベル４). */
export function fullWidthDigit(level: number): string {
  return String(level).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
}
