import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type Crowding,
  type CrowdingSource,
  NotFoundError,
  type ShelterHazard,
  type ShelterKind,
  type ShelterOperatingState,
  type ShelterRow,
  type ShelterStatus,
} from '@bousai/domain';

export interface ShelterView {
  id: string;
  kind: ShelterKind;
  externalId: string;
  name: string;
  nameKana: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  capacity: number | null;
  hazards: ShelterHazard[];
  /** 対象となる町会・自治会 as the list writes them. */
  districts: string[];
  /** The `area` rows those districts matched. */
  areaIds: string[];
  status: ShelterStatus;
  openedAt: Date | null;
  crowding: Crowding | null;
  crowdingSource: CrowdingSource | null;
  headCount: number;
  updatedAt: Date;
}

export interface ShelterImportResult {
  inserted: number;
  updated: number;
  /** Rows identical to what was stored. */
  unchanged: number;
  /** Per line, the districts no `area` of the municipality is named or coded as (the row is imported). */
  unmatchedDistricts: { line: number; districts: string[] }[];
}

/** The operating state and the capacity, as a change of state sees them. */
export type ShelterState = ShelterOperatingState & { capacity: number | null };

export interface CheckInView {
  id: string;
  shelterId: string;
  residentId: string | null;
  /** The resident's name as registered, for the desk. */
  residentName: string | null;
  householdId: string | null;
  name: string | null;
  people: number;
  alertId: string | null;
  checkedInBy: string;
  operatorId: string | null;
  checkedInAt: Date;
}

/** Who arrives: a registered resident, a household, or someone staff know by name. */
export type CheckInWho = { residentId: string } | { householdId: string } | { name: string; people: number };

const VIEW = `
  s.id, s.kind, s.external_id AS "externalId", s.name, s.name_kana AS "nameKana", s.address, s.latitude,
  s.longitude, s.capacity, s.hazards, s.districts,
  COALESCE((SELECT array_agg(sa.area_id ORDER BY sa.area_id) FROM shelter_area sa WHERE sa.shelter_id = s.id),
           '{}') AS "areaIds",
  s.status, s.opened_at AS "openedAt", s.crowding, s.crowding_source AS "crowdingSource",
  s.head_count AS "headCount", s.updated_at AS "updatedAt"`;

const CHECKIN_VIEW = `
  c.id, c.shelter_id AS "shelterId", c.resident_id AS "residentId", r.name AS "residentName",
  c.household_id AS "householdId", c.name, c.people, c.alert_id AS "alertId", c.checked_in_by AS "checkedInBy",
  c.operator_id AS "operatorId", c.checked_in_at AS "checkedInAt"`;

/** The operating state of a shelter as the domain's rules read it. */
export function shelterStateOf(row: ShelterView): ShelterState {
  return {
    status: row.status,
    openedAt: row.openedAt,
    crowding: row.crowding,
    crowdingSource: row.crowdingSource,
    headCount: row.headCount,
    capacity: row.capacity,
  };
}

/**
 * Shelters, the districts they serve and their check-ins. Stores and loads: the application layer locks the row
 * (`lockForUpdate`) in its transaction, computes the next state with the domain's rules and stores it
 * (`saveState`), so two desks counting at once never lose a person.
 */
@Injectable()
export class ShelterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Upserts a parsed list by (kind, the dataset's id) and rewrites the districts of the shelters it names, in one
   * transaction. Never deletes and never touches the status, crowding or count.
   */
  importRows(municipalityId: string, rows: readonly ShelterRow[]): Promise<ShelterImportResult> {
    return this.dataSource.transaction(async (em) => {
      const found = await em.query<unknown[]>('SELECT 1 FROM municipality WHERE id = $1', [municipalityId]);
      if (found.length === 0) throw new NotFoundError('municipality', municipalityId);
      const payload = JSON.stringify(rows);
      const staged = `jsonb_to_recordset($2::jsonb) AS x(line int, "externalId" text, kind text, name text,
        "nameKana" text, address text, latitude float8, longitude float8, capacity int, hazards text[],
        districts text[])`;
      const [counts] = await em.query<{ inserted: number; updated: number }[]>(
        `WITH up AS (
           INSERT INTO shelter AS t (municipality_id, kind, external_id, name, name_kana, address, latitude,
                                     longitude, capacity, hazards, districts)
           SELECT $1, x.kind, x."externalId", x.name, x."nameKana", x.address, x.latitude, x.longitude, x.capacity,
                  x.hazards, x.districts
             FROM ${staged}
            ORDER BY x."externalId"
           ON CONFLICT (municipality_id, kind, external_id) DO UPDATE
              SET name = EXCLUDED.name, name_kana = EXCLUDED.name_kana, address = EXCLUDED.address,
                  latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, capacity = EXCLUDED.capacity,
                  hazards = EXCLUDED.hazards, districts = EXCLUDED.districts, updated_at = now()
            WHERE (t.name, t.name_kana, t.address, t.latitude, t.longitude, t.capacity, t.hazards, t.districts)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.name_kana, EXCLUDED.address, EXCLUDED.latitude,
                  EXCLUDED.longitude, EXCLUDED.capacity, EXCLUDED.hazards, EXCLUDED.districts)
           RETURNING (t.xmax = 0) AS inserted
         )
         SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
           FROM up`,
        [municipalityId, payload],
      );
      // the districts are rewritten: cleared first, in a statement of its own (a data-modifying CTE would not see
      // the rows it deletes and the insert would skip them as conflicts)
      await em.query(
        `DELETE FROM shelter_area sa USING ${staged}, shelter s
          WHERE s.municipality_id = $1 AND s.kind = x.kind AND s.external_id = x."externalId"
            AND sa.shelter_id = s.id`,
        [municipalityId, payload],
      );
      // a district matches an area of the municipality by its name or its code
      await em.query(
        `INSERT INTO shelter_area (shelter_id, area_id)
         SELECT DISTINCT s.id, a.id
           FROM ${staged}
           JOIN shelter s ON s.municipality_id = $1 AND s.kind = x.kind AND s.external_id = x."externalId"
           CROSS JOIN LATERAL unnest(x.districts) AS d(district)
           JOIN area a ON a.municipality_id = $1 AND (a.name = d.district OR a.code = d.district)
         ON CONFLICT DO NOTHING`,
        [municipalityId, payload],
      );
      const unmatched = await em.query<{ line: number; districts: string[] }[]>(
        `SELECT x.line, array_agg(d.district ORDER BY d.ord) AS districts
           FROM ${staged}
           CROSS JOIN LATERAL unnest(x.districts) WITH ORDINALITY AS d(district, ord)
          WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.municipality_id = $1
                                                   AND (a.name = d.district OR a.code = d.district))
          GROUP BY x.line ORDER BY x.line`,
        [municipalityId, payload],
      );
      return {
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: rows.length - counts.inserted - counts.updated,
        unmatchedDistricts: unmatched,
      };
    });
  }

  list(
    municipalityId: string,
    filter: { status?: ShelterStatus; kind?: ShelterKind } = {},
  ): Promise<ShelterView[]> {
    return this.dataSource.query<ShelterView[]>(
      `SELECT ${VIEW} FROM shelter s
        WHERE s.municipality_id = $1 AND ($2::text IS NULL OR s.status = $2) AND ($3::text IS NULL OR s.kind = $3)
        ORDER BY COALESCE(s.name_kana, s.name), s.name, s.kind, s.id`,
      [municipalityId, filter.status ?? null, filter.kind ?? null],
    );
  }

  async get(
    municipalityId: string,
    id: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<ShelterView> {
    const [row] = await em.query<ShelterView[]>(
      `SELECT ${VIEW} FROM shelter s WHERE s.id = $1 AND s.municipality_id = $2`,
      [id, municipalityId],
    );
    if (!row) throw new NotFoundError('shelter', id);
    return row;
  }

  /** The municipality's 全国地方公共団体コード (6 digits). */
  async municipalityCode(municipalityId: string): Promise<string> {
    const [row] = await this.dataSource.query<{ code: string }[]>(
      'SELECT code FROM municipality WHERE id = $1',
      [municipalityId],
    );
    if (!row) throw new NotFoundError('municipality', municipalityId);
    return row.code;
  }

  /** The municipality a public code names (6 digits), or undefined. */
  async municipalityByCode(code: string): Promise<{ id: string; name: string } | undefined> {
    const [row] = await this.dataSource.query<{ id: string; name: string }[]>(
      'SELECT id, name FROM municipality WHERE code = $1',
      [code],
    );
    return row;
  }

  /** The district a resident lives in (through their household), if any. */
  async residentAreaId(residentId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ areaId: string | null }[]>(
      `SELECT h.area_id AS "areaId" FROM resident r LEFT JOIN household h ON h.id = r.household_id WHERE r.id = $1`,
      [residentId],
    );
    return row?.areaId ?? null;
  }

  /** Locks the shelter's row in the caller's transaction and loads it; undefined when it is not the municipality's. */
  async lockForUpdate(
    em: EntityManager,
    municipalityId: string,
    id: string,
  ): Promise<ShelterView | undefined> {
    const rows = await em.query<unknown[]>(
      'SELECT 1 FROM shelter WHERE id = $1 AND municipality_id = $2 FOR UPDATE',
      [id, municipalityId],
    );
    return rows.length > 0 ? this.get(municipalityId, id, em) : undefined;
  }

  /**
   * Stores a shelter's operating state in the name of `operatorId`; undefined (a resident's own check-in) leaves who
   * last acted for the office as it was.
   */
  async saveState(
    em: EntityManager,
    id: string,
    next: ShelterOperatingState,
    operatorId: string | null | undefined,
  ): Promise<void> {
    await em.query(
      `UPDATE shelter SET status = $2, opened_at = $3, crowding = $4, crowding_source = $5, head_count = $6,
              updated_by = CASE WHEN $7::boolean THEN $8::uuid ELSE updated_by END, updated_at = now()
        WHERE id = $1`,
      [
        id,
        next.status,
        next.openedAt,
        next.crowding,
        next.crowdingSource,
        next.headCount,
        operatorId !== undefined,
        operatorId ?? null,
      ],
    );
  }

  /** The check-in of this resident or household at the shelter since `since` (its opening), if any. */
  async earlierCheckIn(
    em: EntityManager,
    shelterId: string,
    since: Date | null,
    who: CheckInWho,
  ): Promise<CheckInView | undefined> {
    const [earlier] = await em.query<{ id: string }[]>(
      `SELECT c.id FROM shelter_checkin c
        WHERE c.shelter_id = $1 AND c.checked_in_at >= $2
          AND (c.resident_id = $3::uuid OR c.household_id = $4::uuid)
        ORDER BY c.checked_in_at LIMIT 1`,
      [
        shelterId,
        since,
        'residentId' in who ? who.residentId : null,
        'householdId' in who ? who.householdId : null,
      ],
    );
    return earlier ? this.checkInView(em, earlier.id) : undefined;
  }

  /** Stores a check-in of `people` people. */
  async insertCheckIn(
    em: EntityManager,
    municipalityId: string,
    shelterId: string,
    who: CheckInWho,
    people: number,
    by: { checkedInBy: string; operatorId: string | null },
  ): Promise<CheckInView> {
    const [inserted] = await em.query<{ id: string }[]>(
      `INSERT INTO shelter_checkin (municipality_id, shelter_id, resident_id, household_id, name, people,
                                    checked_in_by, operator_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        municipalityId,
        shelterId,
        'residentId' in who ? who.residentId : null,
        'householdId' in who ? who.householdId : null,
        'name' in who ? who.name : null,
        people,
        by.checkedInBy,
        by.operatorId,
      ],
    );
    return this.checkInView(em, inserted.id);
  }

  /** Notes on a check-in the alert whose safety request it answered. */
  async setCheckInAlert(checkInId: string, alertId: string): Promise<void> {
    await this.dataSource.query('UPDATE shelter_checkin SET alert_id = $2 WHERE id = $1', [
      checkInId,
      alertId,
    ]);
  }

  /** The alerts (of `statuses`) whose safety requests ask these residents: the requests a check-in answers. */
  openSafetyRequests(
    municipalityId: string,
    residentIds: readonly string[],
    statuses: readonly string[],
  ): Promise<{ residentId: string; alertId: string }[]> {
    return this.dataSource.query(
      `SELECT s.resident_id AS "residentId", s.alert_id AS "alertId"
         FROM safety_request s JOIN alert a ON a.id = s.alert_id
        WHERE s.resident_id = ANY ($2::uuid[]) AND a.municipality_id = $1 AND a.status = ANY ($3::text[])
        ORDER BY a.created_at DESC, s.resident_id`,
      [municipalityId, residentIds, statuses],
    );
  }

  /** Check-ins of a shelter, newest first. */
  async checkIns(municipalityId: string, shelterId: string, limit = 500): Promise<CheckInView[]> {
    await this.get(municipalityId, shelterId);
    return this.dataSource.query<CheckInView[]>(
      `SELECT ${CHECKIN_VIEW} FROM shelter_checkin c LEFT JOIN resident r ON r.id = c.resident_id
        WHERE c.shelter_id = $1 ORDER BY c.checked_in_at DESC, c.id LIMIT $2`,
      [shelterId, limit],
    );
  }

  /** The registered residents a check-in stands for; undefined when the resident or household is not ours. */
  async membersOf(em: EntityManager, municipalityId: string, who: CheckInWho): Promise<string[] | undefined> {
    if ('residentId' in who) {
      const rows = await em.query<{ id: string }[]>(
        'SELECT id FROM resident WHERE id = $1 AND municipality_id = $2',
        [who.residentId, municipalityId],
      );
      return rows.length > 0 ? [who.residentId] : undefined;
    }
    if ('householdId' in who) {
      const rows = await em.query<{ id: string | null }[]>(
        `SELECT r.id FROM household h LEFT JOIN resident r ON r.household_id = h.id
          WHERE h.id = $1 AND h.municipality_id = $2 ORDER BY r.id`,
        [who.householdId, municipalityId],
      );
      return rows.length > 0 ? rows.flatMap((r) => (r.id ? [r.id] : [])) : undefined;
    }
    return [];
  }

  private async checkInView(em: EntityManager, id: string): Promise<CheckInView> {
    const [row] = await em.query<CheckInView[]>(
      `SELECT ${CHECKIN_VIEW} FROM shelter_checkin c LEFT JOIN resident r ON r.id = c.resident_id WHERE c.id = $1`,
      [id],
    );
    return row;
  }
}
