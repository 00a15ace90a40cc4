import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, DeliveryStatus, EndpointStatus } from '@bousai/domain';
import { uuidV7Floor } from '../sql/uuid-v7';

export interface AreaCoverage {
  areaId: string | null;
  areaName: string | null;
  households: number;
  /** Households with at least one means that proved it works within the window. */
  covered: number;
}

export interface UncoveredHousehold {
  householdId: string;
  externalId: string;
  address: string;
  areaName: string | null;
  /** Active endpoints it has (of the household or its residents), none of which proved itself. */
  endpoints: number;
  /** Whether a 要援護者 lives there: these are followed up first. */
  needsAssistance: boolean;
}

/** Deliveries of alerts made up to this long before the window count (their acks may come in it). */
const ALERT_LEAD_MS = 31 * 86_400_000;

/**
 * The lowest alert id whose deliveries can prove coverage since `since`: alert ids are time-ordered and `delivery`
 * is partitioned by them, so the lookups by endpoint read only the months of the window (not every delivery an
 * endpoint ever had, which grows with the years).
 */
const proofAlertsFrom = (since: Date) => uuidV7Floor(new Date(since.getTime() - ALERT_LEAD_MS));

/**
 * Whether a household has a working means, as one SQL predicate over `h`, `$2` (the window start) and `$<alertsFrom>`
 * (`proofAlertsFrom`): one of its endpoints — the household's own (a receiver) or a resident's — is active and proved
 * delivery since then: a device acknowledgement, a played report or a read of an alert made since shortly before
 * the window, or a receiver heartbeat.
 */
const householdCovered = (alertsFrom: number) => {
  const proved = `e.status = '${EndpointStatus.Active}'
     AND ((e.channel = '${Channel.Receiver}' AND e.last_seen_at >= $2)
          OR EXISTS (SELECT 1 FROM delivery d
                      WHERE d.endpoint_id = e.id AND d.alert_id >= $${alertsFrom}::uuid
                        AND d.status IN ('${DeliveryStatus.Delivered}', '${DeliveryStatus.Played}', '${DeliveryStatus.Read}')
                        AND GREATEST(d.delivered_at, d.played_at, d.read_at) >= $2))`;
  // two index look-ups (by household, by resident) rather than one `household_id = … OR resident_id IN …`, which
  // Postgres can only answer by reading every endpoint for every household
  return `(EXISTS (SELECT 1 FROM endpoint e WHERE e.household_id = h.id AND ${proved})
           OR EXISTS (SELECT 1 FROM resident r JOIN endpoint e ON e.resident_id = r.id
                       WHERE r.household_id = h.id AND ${proved}))`;
};

/** The coverage KPI: every household reached by a working means. */
@Injectable()
export class CoverageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Per district (and households without one), households and how many are covered since `since`. */
  async byArea(municipalityId: string, since: Date): Promise<AreaCoverage[]> {
    const rows = await this.dataSource.query<AreaCoverage[]>(
      `SELECT h.area_id AS "areaId", a.name AS "areaName", count(*)::int AS households,
              count(*) FILTER (WHERE ${householdCovered(3)})::int AS covered
         FROM household h LEFT JOIN area a ON a.id = h.area_id
        WHERE h.municipality_id = $1
        GROUP BY h.area_id, a.name, a.code
        ORDER BY a.code NULLS LAST`,
      [municipalityId, since, proofAlertsFrom(since)],
    );
    return rows;
  }

  /**
   * Households with no working means, keyset-paged by household id; `needsAssistance` keeps only the households
   * with (true) or without (false) a 要援護者, so a caller can list those first.
   */
  async uncovered(
    municipalityId: string,
    since: Date,
    page: { after?: string; limit: number; areaId?: string; needsAssistance?: boolean },
  ): Promise<UncoveredHousehold[]> {
    return this.dataSource.query<UncoveredHousehold[]>(
      `SELECT h.id AS "householdId", h.external_id AS "externalId", h.address, a.name AS "areaName",
              (SELECT count(*)::int FROM endpoint e
                WHERE e.status = '${EndpointStatus.Active}' AND e.household_id = h.id)
              + (SELECT count(*)::int FROM resident r JOIN endpoint e ON e.resident_id = r.id
                  WHERE r.household_id = h.id AND e.status = '${EndpointStatus.Active}') AS endpoints,
              EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.needs_assistance)
                AS "needsAssistance"
         FROM household h LEFT JOIN area a ON a.id = h.area_id
        WHERE h.municipality_id = $1 AND NOT ${householdCovered(7)}
          AND ($3::uuid IS NULL OR h.id > $3::uuid)
          AND ($5::uuid IS NULL OR h.area_id = $5::uuid)
          AND ($6::boolean IS NULL OR EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.needs_assistance) = $6)
        ORDER BY h.id LIMIT $4`,
      [
        municipalityId,
        since,
        page.after ?? null,
        page.limit,
        page.areaId ?? null,
        page.needsAssistance ?? null,
        proofAlertsFrom(since),
      ],
    );
  }
}
