import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Channel, DeliveryStatus, EndpointStatus } from '@bousai/domain';

export interface AreaCoverage {
  areaId: string | null;
  areaName: string | null;
  households: number;
  /** Households with at least one means that proved it works within the window. */
  covered: number;
}

/** Active visitor subscriptions: per district they chose (one subscription counts in each), and in all. */
export interface VisitorCounts {
  total: number;
  byArea: { areaId: string; visitors: number }[];
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

/**
 * Whether a household has a working means, as one SQL predicate over `h` and `$2` (the window start): one of its
 * endpoints — the household's own (a receiver) or a resident's — is active and proved delivery since then: a
 * device acknowledgement, a played report or a read of any alert, or a receiver heartbeat.
 */
const HOUSEHOLD_COVERED = `EXISTS (
  SELECT 1 FROM endpoint e
   WHERE e.status = '${EndpointStatus.Active}'
     AND (e.household_id = h.id OR e.resident_id IN (SELECT r.id FROM resident r WHERE r.household_id = h.id))
     AND ((e.channel = '${Channel.Receiver}' AND e.last_seen_at >= $2)
          OR EXISTS (SELECT 1 FROM delivery d
                      WHERE d.endpoint_id = e.id
                        AND d.status IN ('${DeliveryStatus.Delivered}', '${DeliveryStatus.Played}', '${DeliveryStatus.Read}')
                        AND GREATEST(d.delivered_at, d.played_at, d.read_at) >= $2)))`;

/** The coverage KPI: every household reached by a working means. */
@Injectable()
export class CoverageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Per district (and households without one), households and how many are covered since `since`. */
  async byArea(municipalityId: string, since: Date): Promise<AreaCoverage[]> {
    const rows = await this.dataSource.query<AreaCoverage[]>(
      `SELECT h.area_id AS "areaId", a.name AS "areaName", count(*)::int AS households,
              count(*) FILTER (WHERE ${HOUSEHOLD_COVERED})::int AS covered
         FROM household h LEFT JOIN area a ON a.id = h.area_id
        WHERE h.municipality_id = $1
        GROUP BY h.area_id, a.name, a.code
        ORDER BY a.code NULLS LAST`,
      [municipalityId, since],
    );
    return rows;
  }

  /**
   * Visitor subscriptions (issue 21), counted apart from the households: they reach no household of the roster
   * and never enter the coverage ratio.
   */
  async visitors(municipalityId: string): Promise<VisitorCounts> {
    const rows = await this.dataSource.query<{ areaId: string | null; visitors: number }[]>(
      `SELECT x.area_id AS "areaId", count(DISTINCT v.id)::int AS visitors
         FROM visitor_subscription v
         CROSS JOIN LATERAL unnest(v.area_ids) AS x(area_id)
        WHERE v.municipality_id = $1 AND v.status = '${EndpointStatus.Active}'
        GROUP BY GROUPING SETS ((x.area_id), ())`,
      [municipalityId],
    );
    const total = rows.find((r) => r.areaId === null)?.visitors ?? 0;
    return {
      total,
      byArea: rows.flatMap((r) => (r.areaId === null ? [] : [{ areaId: r.areaId, visitors: r.visitors }])),
    };
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
                WHERE e.status = '${EndpointStatus.Active}'
                  AND (e.household_id = h.id
                       OR e.resident_id IN (SELECT r.id FROM resident r WHERE r.household_id = h.id))) AS endpoints,
              EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.needs_assistance)
                AS "needsAssistance"
         FROM household h LEFT JOIN area a ON a.id = h.area_id
        WHERE h.municipality_id = $1 AND NOT ${HOUSEHOLD_COVERED}
          AND ($3::uuid IS NULL OR h.id > $3::uuid)
          AND ($5::uuid IS NULL OR h.area_id = $5::uuid)
          AND ($6::boolean IS NULL OR EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.needs_assistance) = $6)
        ORDER BY h.id LIMIT $4`,
      [municipalityId, since, page.after ?? null, page.limit, page.areaId ?? null, page.needsAssistance ?? null],
    );
  }
}
