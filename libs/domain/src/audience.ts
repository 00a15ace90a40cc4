import { storedTargeting, type Targeting } from './targeting';

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

/**
 * The alert's targeting as the planner's filter (see {@link Targeting} for what the parts mean). Targeting that
 * names nothing selects nobody (the api refuses to create such an alert in the first place); whatever is not
 * valid in a stored targeting is dropped, not guessed.
 */
export function audienceOf(targeting: Targeting): AudienceFilter {
  const t = storedTargeting(targeting);
  const namesPlace = (t.areaIds?.length ?? 0) + (t.householdIds?.length ?? 0) + (t.jmaCodes?.length ?? 0) > 0;
  return {
    everywhere: t.all === true || (!namesPlace && (t.groups?.length ?? 0) > 0),
    areaIds: t.areaIds ?? [],
    householdIds: t.householdIds ?? [],
    jmaCodes: t.jmaCodes ?? [],
    groups: t.groups ?? [],
  };
}
