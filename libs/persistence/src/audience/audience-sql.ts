import { channelRank } from './channel-rank';

export type { AudienceFilter } from '@bousai/domain';

/** Parameter references (`$n`) the audience predicate reads; each statement numbers its own. */
export interface AudienceParamRefs {
  /** `ConsentScope.Alerts`. */
  alertsScope: string;
  /** `Channel.Email`: email endpoints count only once confirmed. */
  email: string;
  /** `EndpointStatus.Active`. */
  active: string;
  everywhere: string;
  areaIds: string;
  householdIds: string;
  jmaCodes: string;
  groups: string;
  /** Ordered fallback: the channels planned (text[] or NULL for "every channel at once") and the order. */
  orderedChannels: string;
  order: string;
}

/** Parameter references of the visitor predicate (`VisitorAudience`'s fields). */
export interface VisitorParamRefs {
  everywhere: string;
  areaIds: string;
  jmaCodes: string;
}

/**
 * THE definition of which visitor subscriptions (rows aliased `v`, with `area_ids`) an alert's `VisitorAudience`
 * reaches: every one when `everywhere`, else those that chose a district the alert names by id or by a JMA code
 * the district carries. Used by the planner (keyset pages) and by the preview's count, so the two never disagree;
 * both take the municipality's active subscriptions only.
 */
export function visitorAudienceSql(v: string, $: VisitorParamRefs): string {
  return `(${$.everywhere}::boolean
           OR ${v}.area_ids && ${$.areaIds}::uuid[]
           OR (cardinality(${$.jmaCodes}::text[]) > 0 AND EXISTS (
                 SELECT 1 FROM area a
                  WHERE a.id = ANY (${v}.area_ids)
                    AND (a.jma_city_code = ANY (${$.jmaCodes}::text[]) OR a.jma_quake_area_code = ANY (${$.jmaCodes}::text[])
                         OR a.jma_tsunami_area_code = ANY (${$.jmaCodes}::text[])
                         OR a.jma_eew_area_code = ANY (${$.jmaCodes}::text[])))))`;
}

/**
 * THE definition of who is in an alert's audience, as SQL over endpoint rows aliased `p` (with `id`,
 * `resident_id`, `household_id`, `confirmed_at`) whose channel is the SQL expression `channel`. Used by the
 * planner (one channel, keyset pages) and by the preview's counts (every channel at once), so the two never
 * disagree. An endpoint belongs where its resident lives (resident → household → area), or to its own household
 * when it has no resident (receivers). A household endpoint is in a group when a member of its household is (a
 * receiver serves the 要援護者 it was installed for). A resident's extra districts (chosen in the app) count like
 * their home district. Residents must have consented to alerts; email addresses
 * must be confirmed. Ordered fallback: a resident's endpoint counts only on their first channel (own order, else
 * the municipality's) among the planned ones where they have a usable endpoint.
 *
 * `joins` adds `r` (the resident: household_id, language, needs_assistance, staff, consent_scopes,
 * channel_order, extra_area_ids), `h` and `a`; `where` is the predicate.
 */
export function audienceSql(channel: string, $: AudienceParamRefs): { joins: string; where: string } {
  return {
    // owners and places are looked up per row through their primary keys (LATERAL … LIMIT 1 keeps the planner
    // from hashing whole tables): a chunk costs the same whatever the size of the municipality, and without a
    // place restriction places are not looked up at all
    joins: `
      LEFT JOIN LATERAL (
        SELECT r.household_id, r.language, r.needs_assistance, r.staff, r.consent_scopes, r.channel_order,
               r.extra_area_ids
          FROM resident r WHERE r.id = p.resident_id LIMIT 1
      ) r ON true
      LEFT JOIN LATERAL (
        SELECT h.id, h.area_id FROM household h
         WHERE NOT ${$.everywhere}::boolean AND h.id = COALESCE(r.household_id, p.household_id) LIMIT 1
      ) h ON true
      LEFT JOIN LATERAL (
        SELECT a.id, a.jma_city_code, a.jma_quake_area_code, a.jma_tsunami_area_code, a.jma_eew_area_code
          FROM area a WHERE a.id = h.area_id LIMIT 1
      ) a ON true`,
    where: `
          (p.resident_id IS NULL OR ${$.alertsScope} = ANY (r.consent_scopes))
      AND (${channel} <> ${$.email} OR p.confirmed_at IS NOT NULL)
      AND (${$.everywhere}::boolean
           OR a.id = ANY (${$.areaIds}::uuid[])
           OR h.id = ANY (${$.householdIds}::uuid[])
           OR a.jma_city_code = ANY (${$.jmaCodes}::text[])
           OR a.jma_quake_area_code = ANY (${$.jmaCodes}::text[])
           OR a.jma_tsunami_area_code = ANY (${$.jmaCodes}::text[])
           OR a.jma_eew_area_code = ANY (${$.jmaCodes}::text[])
           -- districts the resident added in the app (a workplace) count like their home district
           OR (cardinality(COALESCE(r.extra_area_ids, '{}')) > 0 AND EXISTS (
                 SELECT 1 FROM area x
                  WHERE x.id = ANY (r.extra_area_ids)
                    AND (x.id = ANY (${$.areaIds}::uuid[])
                         OR x.jma_city_code = ANY (${$.jmaCodes}::text[])
                         OR x.jma_quake_area_code = ANY (${$.jmaCodes}::text[])
                         OR x.jma_tsunami_area_code = ANY (${$.jmaCodes}::text[])
                         OR x.jma_eew_area_code = ANY (${$.jmaCodes}::text[])))))
      AND (${$.orderedChannels}::text[] IS NULL OR p.resident_id IS NULL OR NOT EXISTS (
            -- ordered fallback: another usable endpoint of the resident comes first in their order
            SELECT 1 FROM endpoint o
             WHERE o.resident_id = p.resident_id AND o.status = ${$.active} AND o.channel <> ${channel}
               AND o.channel = ANY (${$.orderedChannels}::text[]) AND (o.channel <> ${$.email} OR o.confirmed_at IS NOT NULL)
               AND ${channelRank('o.channel', 'r.channel_order', $.order)} < ${channelRank(`${channel}::text`, 'r.channel_order', $.order)}))
      AND (cardinality(${$.groups}::text[]) = 0
           OR (p.resident_id IS NOT NULL
               AND ((r.needs_assistance AND 'needs_assistance' = ANY (${$.groups}::text[]))
                    OR (r.staff AND 'staff' = ANY (${$.groups}::text[]))))
           OR (p.resident_id IS NULL AND EXISTS (
                 SELECT 1 FROM resident m
                  WHERE m.household_id = p.household_id
                    AND ((m.needs_assistance AND 'needs_assistance' = ANY (${$.groups}::text[]))
                         OR (m.staff AND 'staff' = ANY (${$.groups}::text[]))))))`,
  };
}
