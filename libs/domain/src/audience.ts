/** The audience of an alert, normalised: empty lists select nothing, `everywhere` lifts the place restriction. */
export interface AudienceFilter {
  /** No place restriction (targeting `all`, or only groups were named). */
  everywhere: boolean;
  areaIds: readonly string[];
  /** Matched against every JMA code system an area carries (市町村等, 地震/EEW 細分区域, 津波予報区). */
  jmaCodes: readonly string[];
  householdIds: readonly string[];
  /** `needs_assistance` and/or `staff`; empty means everyone. */
  groups: readonly string[];
}

const GROUPS = new Set(['needs_assistance', 'staff']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function strings(value: unknown, keep: (s: string) => boolean = () => true): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((v): v is string => typeof v === 'string' && keep(v)))];
}

/**
 * The alert's stored targeting (`{ all?, areaIds?, jmaCodes?, groups?, householdIds? }`) as the planner's filter.
 * Places (areas, JMA codes, households) add up; groups narrow whatever the places selected, or the whole
 * municipality when no place is named; `all` lifts the place restriction. Targeting that names nothing selects
 * nobody (the api refuses to create such an alert in the first place). Unknown values are dropped, not guessed.
 */
export function audienceOf(targeting: Record<string, unknown>): AudienceFilter {
  const areaIds = strings(targeting.areaIds, (s) => UUID.test(s));
  const householdIds = strings(targeting.householdIds, (s) => UUID.test(s));
  const jmaCodes = strings(targeting.jmaCodes, (s) => s.trim().length > 0);
  const groups = strings(targeting.groups, (s) => GROUPS.has(s));
  const namesPlace = areaIds.length + householdIds.length + jmaCodes.length > 0;
  return {
    everywhere: targeting.all === true || (!namesPlace && groups.length > 0),
    areaIds,
    householdIds,
    jmaCodes,
    groups,
  };
}

/** The original alert of a cancellation notice, which the fan-out marks in the notice's targeting. */
export const CANCELLATION_OF = 'cancellationOf';

export function cancellationOf(targeting: Record<string, unknown>): string | undefined {
  const id = targeting[CANCELLATION_OF];
  return typeof id === 'string' && UUID.test(id) ? id : undefined;
}
