import { type AlertLevel, Hazard } from '@bousai/domain';

/**
 * Reading the 2026 scheme's 警戒レベル and phenomenon from JMA's kinds (docs/feeds.md §8, after JMA's
 * keiho-update2026 pages, 技術情報第634号). The level is read from the number JMA writes, never ranked from a danger
 * word: 「レベル４大雨危険警報」 contains 「警報」 but is level 4, not 3.
 */

const FULL_WIDTH = '０１２３４５６７８９';

/** "レベル４" / "レベル4" / "警戒レベル３相当" → 4 / 4 / 3; any other text → null. */
export function levelInText(text: string | null | undefined): AlertLevel | null {
  const m = text ? /レベル\s*([1-5１-５])/.exec(text) : null;
  if (!m) return null;
  const d = FULL_WIDTH.indexOf(m[1]);
  return (d >= 0 ? d : Number(m[1])) as AlertLevel;
}

/**
 * Kind codes of the level-named warnings whose meaning does not depend on the name (docs/feeds.md §8: 33, 43, 03,
 * 10, 49, 48, 08 as seen in JMA's R06 samples and technical notes). Used only when a kind has no name.
 */
const LEVEL_BY_CODE: Readonly<Record<string, { level: AlertLevel; hazard: Hazard }>> = {
  '33': { level: 5, hazard: Hazard.HeavyRain },
  '43': { level: 4, hazard: Hazard.HeavyRain },
  '03': { level: 3, hazard: Hazard.HeavyRain },
  '10': { level: 2, hazard: Hazard.HeavyRain },
  '49': { level: 4, hazard: Hazard.Landslide },
  '48': { level: 4, hazard: Hazard.StormSurge },
  '08': { level: 3, hazard: Hazard.StormSurge },
};

/**
 * 指定河川洪水予報 before the 2026 names (JMA's 警戒レベル相当 of each river information; the telegrams say it
 * in their headline, 【警戒レベル３相当情報［洪水］】): 氾濫注意情報 2, 氾濫警戒情報 3, 氾濫危険情報 4, 氾濫発生情報 5.
 */
const RIVER_LEVELS: readonly [string, AlertLevel][] = [
  ['氾濫発生情報', 5],
  ['氾濫危険情報', 4],
  ['氾濫警戒情報', 3],
  ['氾濫注意情報', 2],
];

/** The phenomenon a kind name (or a Significancy type, a headline) is about. */
export function hazardInText(text: string | null | undefined): Hazard {
  if (!text) return Hazard.Other;
  if (text.includes('土砂')) return Hazard.Landslide;
  if (text.includes('高潮')) return Hazard.StormSurge;
  if (text.includes('氾濫') || text.includes('洪水')) return Hazard.Flood;
  if (text.includes('浸水')) return Hazard.Inundation;
  if (text.includes('大雨')) return Hazard.HeavyRain;
  if (text.includes('津波')) return Hazard.Tsunami;
  if (text.includes('地震')) return Hazard.Earthquake;
  return Hazard.Other;
}

export interface KindLevel {
  level: AlertLevel | null;
  hazard: Hazard;
}

/**
 * The 警戒レベル and phenomenon of one JMA kind. The number in the name wins (full- or half-width digits); a
 * nameless kind falls back to its code; the river information of the pre-2026 names maps as JMA rates them.
 * Kinds of other products (暴風警報, 雷注意報, the pre-2026 大雨警報 …) carry no level: null.
 */
export function kindLevel(name: string | null | undefined, code?: string | null): KindLevel {
  const level = levelInText(name);
  if (level !== null) return { level, hazard: hazardInText(name) };
  if (name) {
    const river = RIVER_LEVELS.find(([word]) => name.includes(word));
    if (river) return { level: river[1], hazard: Hazard.Flood };
    return { level: null, hazard: hazardInText(name) };
  }
  const byCode = code ? LEVEL_BY_CODE[code] : undefined;
  return byCode ? { ...byCode } : { level: null, hazard: Hazard.Other };
}

/**
 * 土砂災害警戒情報 (VXWW50): its 「警戒」 kind is the level-4 landslide information — 「レベル４土砂災害危険警報」 since
 * 2026, 警戒レベル４相当 before (its own headline says 【警戒レベル４相当情報［土砂災害］】).
 */
export function landslideAlertLevel(name: string | null, code: string | null): KindLevel {
  const named = levelInText(name);
  if (named !== null) return { level: named, hazard: Hazard.Landslide };
  const alerting = name === '警戒' || code === '3';
  return { level: alerting ? 4 : null, hazard: Hazard.Landslide };
}

/** How a kind changed since the previous telegram, read from its Status (an open set) and its LastKind. */
export type KindChange = 'issued' | 'continued' | 'raised' | 'lowered' | 'lifted' | 'none' | 'unknown';

const RANK_WORDS: readonly [string, number][] = [
  ['特別警報', 5],
  ['危険警報', 4],
  ['警報', 3],
  ['注意報', 2],
];

function wordRank(text: string): number | null {
  return RANK_WORDS.find(([w]) => text.includes(w))?.[1] ?? null;
}

/**
 * 発表 → issued, 継続 → continued, 解除 → lifted, なし / 発表警報・注意報はなし → none; 「AからB」 (警報から注意報,
 * 特別警報から警報 …) → lowered or raised, by the levels of LastKind and Kind when both are known, else by the
 * danger words on either side of から. Anything else → unknown (never guessed as issued).
 */
export function kindChange(
  status: string | null | undefined,
  level: AlertLevel | null,
  lastLevel: AlertLevel | null,
): KindChange {
  if (!status) return 'unknown';
  if (status === '発表') return 'issued';
  if (status === '継続') {
    if (lastLevel === null || level === null || level === lastLevel) return 'continued';
    return level > lastLevel ? 'raised' : 'lowered';
  }
  if (status.includes('解除')) return 'lifted';
  if (status === 'なし' || status.includes('はなし')) return 'none';
  const from = status.indexOf('から');
  if (from > 0) {
    if (level !== null && lastLevel !== null && level !== lastLevel)
      return level > lastLevel ? 'raised' : 'lowered';
    const a = wordRank(status.slice(0, from));
    const b = wordRank(status.slice(from + 2));
    if (a !== null && b !== null && a !== b) return b > a ? 'raised' : 'lowered';
  }
  return 'unknown';
}

/** Whether a kind with this change is in force after the telegram: all but lifted and none (an unknown status too). */
export function inForceAfter(change: KindChange): boolean {
  return change !== 'lifted' && change !== 'none';
}

/** A 警戒レベル相当 rating (Significancy): 「警戒レベル３相当」 / code 31 → 3; codes 21 / 31 / 41 / 51 are levels 2–5. */
export function ratingLevel(name: string | null, code: string | null): AlertLevel | null {
  const named = levelInText(name);
  if (named !== null) return named;
  const m = code ? /^([2-5])1$/.exec(code) : null;
  return m ? (Number(m[1]) as AlertLevel) : null;
}
