import type { AlertLevel, Hazard } from '@bousai/domain';
import type { JmaMessage, LevelRating } from '../normalised-message';
import { inForceAfter, type KindChange, kindChange } from './warning-level';

/**
 * One kind for one 市町村等 (7-digit code) as the 2026 scheme reads it (docs/feeds.md §8): the flat view the feed
 * rules and the evacuation proposals work on, whichever telegram it came from.
 */
export interface LevelledWarning {
  /** 7-digit 市町村等 code. */
  areaCode: string;
  areaName: string | null;
  kindName: string | null;
  kindCode: string | null;
  level: AlertLevel | null;
  hazard: Hazard;
  /** The level before this telegram (LastKind), when JMA gives it. */
  lastLevel: AlertLevel | null;
  change: KindChange;
  /** In force after the telegram: anything but 解除 and なし. */
  inForce: boolean;
  ratings: LevelRating[];
  /** VPWW5x / VXWW50 per-municipality warning, or a 指定河川洪水予報's 浸水想定地区. */
  source: 'municipality' | 'river';
}

/**
 * Every levelled (or level-less) kind a weather telegram gives its 市町村等: VPWW53–61 and VXWW50 per municipality,
 * VXKO* for the municipalities its rivers may flood. Kinds that name nothing (「発表警報・注意報はなし」) are left out.
 */
export function levelledWarnings(msg: JmaMessage): LevelledWarning[] {
  if (msg.body.family !== 'weather') return [];
  const out: LevelledWarning[] = [];
  for (const city of msg.body.municipalities) {
    if (!city.code) continue;
    for (const k of city.kinds) {
      if (!k.name && !k.code) continue;
      // read from the status as it stands (the parsed `change` of the same status)
      const change = kindChange(k.status, k.level, k.lastLevel);
      out.push({
        areaCode: city.code,
        areaName: city.name,
        kindName: k.name,
        kindCode: k.code,
        level: k.level,
        hazard: k.hazard,
        lastLevel: k.lastLevel,
        change,
        inForce: k.name !== 'なし' && inForceAfter(change),
        ratings: k.ratings,
        source: 'municipality',
      });
    }
  }
  const river = msg.body.river;
  if (river?.kind) {
    const seen = new Set<string>();
    for (const city of river.municipalities) {
      if (!city.code || seen.has(city.code)) continue;
      seen.add(city.code);
      out.push({
        areaCode: city.code,
        areaName: city.name,
        kindName: river.kind.name,
        kindCode: river.kind.code,
        level: river.level,
        hazard: river.hazard,
        lastLevel: null,
        change: river.lifted ? 'lifted' : 'unknown',
        inForce: !river.lifted,
        ratings: [],
        source: 'river',
      });
    }
  }
  return out;
}
