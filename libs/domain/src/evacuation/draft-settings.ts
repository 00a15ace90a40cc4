import { ValidationError } from '../errors';
import { EVACUATION_LEVELS, type EvacuationLevel, isEvacuationLevel } from './levels';

/**
 * `municipality.settings.evacuationDrafts`: `{ levels: [3, 4, 5] }`, the levels at which a JMA telegram makes a
 * draft order for the office to review. A draft is only a proposal: bousai never issues an order by itself, so
 * there is deliberately no option to. `levels: []` turns feed drafts off. Unset: drafts at 3, 4 and 5 (安来市).
 */
export interface EvacuationDraftSettings {
  levels: EvacuationLevel[];
}

export const DEFAULT_EVACUATION_DRAFT_LEVELS: readonly EvacuationLevel[] = EVACUATION_LEVELS;

/** Validates the setting as written by an admin; throws a ValidationError naming the bad field. */
export function parseEvacuationDraftSettings(value: unknown): EvacuationDraftSettings {
  if (value === undefined || value === null) return { levels: [...DEFAULT_EVACUATION_DRAFT_LEVELS] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('settings.evacuationDrafts must be an object');
  }
  const unknown = Object.keys(value).filter((k) => k !== 'levels');
  if (unknown.length > 0) {
    throw new ValidationError(
      `settings.evacuationDrafts: unknown field(s) ${unknown.join(', ')} (drafts are never issued automatically)`,
    );
  }
  const levels = (value as { levels?: unknown }).levels;
  if (levels === undefined) return { levels: [...DEFAULT_EVACUATION_DRAFT_LEVELS] };
  if (!Array.isArray(levels) || !levels.every(isEvacuationLevel)) {
    throw new ValidationError('settings.evacuationDrafts.levels must be a list of the levels 3, 4 and 5');
  }
  if (new Set(levels).size !== levels.length) {
    throw new ValidationError('settings.evacuationDrafts.levels names a level twice');
  }
  return { levels: [...levels].sort((a, b) => a - b) };
}

/** The levels feeds draft orders at, from stored settings (settings stored before validation: the default). */
export function evacuationDraftLevels(settings: Readonly<Record<string, unknown>>): EvacuationLevel[] {
  try {
    return parseEvacuationDraftSettings(settings.evacuationDrafts).levels;
  } catch {
    return [...DEFAULT_EVACUATION_DRAFT_LEVELS];
  }
}
