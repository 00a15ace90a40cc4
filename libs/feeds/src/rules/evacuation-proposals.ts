import type { AlertLevel, Hazard } from '@bousai/domain';
import { levelledWarnings } from '../jma/levelled-warnings';
import type { FeedMessage } from './evaluate-feed-rules';

/** The levels at which a municipality issues 避難情報: 3 高齢者等避難, 4 避難指示, 5 緊急安全確保 (docs/feeds.md §6.2). */
export type EvacuationLevel = Extract<AlertLevel, 3 | 4 | 5>;

/**
 * What a JMA telegram suggests the municipality consider for one hazard (docs/feeds.md §8.4):
 * `issue` — JMA's level `level` is in force for `jmaAreaCodes` (propose the order of that level);
 * `lower` — JMA went down to `level` (≥ 3) from a higher one (propose lowering the order to it);
 * `lift` — JMA's level-`level` information was lifted or fell below 3 (propose lifting the order).
 * A proposal is only a draft for a person to decide on; whether an order of that level is already in force is
 * the caller's business (this function does not know the orders).
 */
export interface EvacuationProposal {
  level: EvacuationLevel;
  hazard: Hazard;
  jmaAreaCodes: string[];
  kind: 'issue' | 'lower' | 'lift';
}

function maxLevel(levels: (AlertLevel | null)[]): AlertLevel | null {
  return levels.reduce<AlertLevel | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
}

/**
 * The evacuation proposals one message makes for a municipality, given its 7-digit 市町村等 codes. Pure. Only a
 * real (通常) JMA report counts: 訓練 and 試験 telegrams, 取消 and every non-JMA message propose nothing.
 */
export function proposeEvacuationDrafts(
  msg: FeedMessage,
  areaCodes: readonly string[],
): EvacuationProposal[] {
  if (msg.format !== 'jmaxml') return [];
  if (!msg.status.isActual || msg.head.infoType === '取消') return [];
  const mine = new Set(areaCodes);
  // per code and hazard: the level in force now, and the highest level it had before
  const byCodeHazard = new Map<
    string,
    { code: string; hazard: Hazard; now: AlertLevel | null; before: AlertLevel | null }
  >();
  for (const w of levelledWarnings(msg)) {
    if (!mine.has(w.areaCode)) continue;
    const key = `${w.areaCode}|${w.hazard}`;
    const slot = byCodeHazard.get(key) ?? { code: w.areaCode, hazard: w.hazard, now: null, before: null };
    if (w.inForce) slot.now = maxLevel([slot.now, w.level]);
    slot.before = maxLevel([slot.before, w.lastLevel, w.inForce ? null : w.level]);
    byCodeHazard.set(key, slot);
  }
  const grouped = new Map<string, EvacuationProposal>();
  for (const { code, hazard, now, before } of byCodeHazard.values()) {
    let proposal: Omit<EvacuationProposal, 'jmaAreaCodes'> | null = null;
    if (now !== null && now >= 3) {
      proposal = {
        level: now as EvacuationLevel,
        hazard,
        kind: before !== null && before > now ? 'lower' : 'issue',
      };
    } else if (before !== null && before >= 3) {
      proposal = { level: before as EvacuationLevel, hazard, kind: 'lift' };
    }
    if (!proposal) continue;
    const key = `${proposal.kind}|${proposal.hazard}|${proposal.level}`;
    const entry = grouped.get(key) ?? { ...proposal, jmaAreaCodes: [] };
    entry.jmaAreaCodes.push(code);
    grouped.set(key, entry);
  }
  return [...grouped.values()]
    .map((p) => ({ ...p, jmaAreaCodes: [...new Set(p.jmaAreaCodes)].sort() }))
    .sort((a, b) => b.level - a.level || a.hazard.localeCompare(b.hazard) || a.kind.localeCompare(b.kind));
}
