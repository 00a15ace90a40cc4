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

/** Deliveries of alerts made up to this long before the window count (their acks may come in it). */
const ALERT_LEAD_MS = 31 * 86_400_000;

/**
 * The lowest alert id whose deliveries can prove coverage since `since`: alert ids are time-ordered and `delivery`
 * is partitioned by them, so the lookups by endpoint read only the months of the window (not every delivery an
 * endpoint ever had, which grows with the years).
 */
const proofAlertsFrom = (since: Date) => uuidV7Floor(new Date(since.getTime() - ALERT_LEAD_MS));

/**
 * `covered(id)`: the households of `$1` with a working means since `$2` (the window start), set-based. One of the
 * household's endpoints — its own (a receiver) or a resident's — is active and proved delivery since then: a device
 * acknowledgement, a played report or a read of one of the municipality's alerts made since `$<alertsFrom>`
 * (`proofAlertsFrom`), or a receiver heartbeat. The deliveries are read alert by alert (LATERAL, kept from being flattened into a
 * join by `OFFSET 0`: a parameterised scan of one partition's `alert_id` index each, never a scan of a month that also holds older alerts), so the cost follows
 * the alerts of the window, not the years of deliveries behind them; an `EXISTS` per household instead read every
 * delivery its endpoints ever had.
 */
const coveredHouseholds = (alertsFrom: number) => `covered AS MATERIALIZED (
  WITH proved AS (
    SELECT d.endpoint_id AS id
      FROM alert al
     CROSS JOIN LATERAL (
       SELECT x.endpoint_id FROM delivery x
        WHERE x.alert_id = al.id
          AND x.status IN ('${DeliveryStatus.Delivered}', '${DeliveryStatus.Played}', '${DeliveryStatus.Read}')
          AND GREATEST(x.delivered_at, x.played_at, x.read_at) >= $2
       OFFSET 0) d
     WHERE al.municipality_id = $1 AND al.id >= $${alertsFrom}::uuid
    UNION
    SELECT e.id FROM endpoint e
     WHERE e.municipality_id = $1 AND e.channel = '${Channel.Receiver}' AND e.last_seen_at >= $2),
  working AS (
    SELECT e.household_id, e.resident_id FROM proved p JOIN endpoint e ON e.id = p.id
     WHERE e.status = '${EndpointStatus.Active}')
  SELECT household_id AS id FROM working WHERE household_id IS NOT NULL
  UNION
  SELECT r.household_id FROM working w JOIN resident r ON r.id = w.resident_id WHERE r.household_id IS NOT NULL)`;

/** The coverage KPI: every household reached by a working means. */
@Injectable()
export class CoverageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Per district (and households without one), households and how many are covered since `since`. */
  async byArea(municipalityId: string, since: Date): Promise<AreaCoverage[]> {
    const rows = await this.withoutJit<AreaCoverage[]>(
      `WITH ${coveredHouseholds(3)}
       SELECT h.area_id AS "areaId", a.name AS "areaName", count(*)::int AS households,
              count(c.id)::int AS covered
         FROM household h LEFT JOIN area a ON a.id = h.area_id LEFT JOIN covered c ON c.id = h.id
        WHERE h.municipality_id = $1
        GROUP BY h.area_id, a.name, a.code
        ORDER BY a.code NULLS LAST`,
      [municipalityId, since, proofAlertsFrom(since)],
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
    return this.withoutJit<UncoveredHousehold[]>(
      `WITH ${coveredHouseholds(7)}
       SELECT h.id AS "householdId", h.external_id AS "externalId", h.address, a.name AS "areaName",
              (SELECT count(*)::int FROM endpoint e
                WHERE e.status = '${EndpointStatus.Active}' AND e.household_id = h.id)
              + (SELECT count(*)::int FROM resident r JOIN endpoint e ON e.resident_id = r.id
                  WHERE r.household_id = h.id AND e.status = '${EndpointStatus.Active}') AS endpoints,
              EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.needs_assistance)
                AS "needsAssistance"
         FROM household h LEFT JOIN area a ON a.id = h.area_id
        WHERE h.municipality_id = $1 AND NOT EXISTS (SELECT 1 FROM covered c WHERE c.id = h.id)
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

  /**
   * Runs the statement with JIT compilation off. Its plan spans every month partition of `delivery`, and once they
   * hold years of rows the estimated cost passes `jit_above_cost`: compiling then took ≈ 1 s of a query that runs in
   * ≈ 15 ms (runtime pruning leaves one partition an alert), docs/performance.md "Growth".
   */
  private withoutJit<T>(sql: string, params: unknown[]): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query('SET LOCAL jit = off');
      return em.query<T>(sql, params);
    });
  }
}
