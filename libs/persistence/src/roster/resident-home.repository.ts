import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Who a resident is, as their own app shows it: their office, language and district. */
export interface ResidentProfile {
  residentId: string;
  municipalityCode: string;
  municipalityName: string;
  language: string;
  areaName: string | null;
  /** Districts besides the household's the resident gets alerts for (chosen in the app). */
  extraAreaIds: string[];
}

/** A district of the municipality as the app lists it for choosing. */
export interface ResidentAreaChoice {
  id: string;
  name: string;
}

/** An alert that reached the resident (a delivery to one of their endpoints, or a safety request to them). */
export interface ResidentAlertRow {
  id: string;
  texts: Record<string, { title: string; body: string }>;
  severity: string;
  isDrill: boolean;
  safetyRequest: boolean;
  cancelsAlertId: string | null;
  status: string;
  dispatchedAt: Date;
  expiresAt: Date | null;
  /** The resident's own safety answer, when they were asked and answered. */
  myAnswer: string | null;
}

/** What the residents' app reads about its holder: their profile and the alerts sent to them. */
@Injectable()
export class ResidentHomeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async profile(municipalityId: string, residentId: string): Promise<ResidentProfile | null> {
    const [row] = await this.dataSource.query<ResidentProfile[]>(
      `SELECT r.id AS "residentId", m.code AS "municipalityCode", m.name AS "municipalityName", r.language,
              ar.name AS "areaName", r.extra_area_ids AS "extraAreaIds"
         FROM resident r
         JOIN municipality m ON m.id = r.municipality_id
         LEFT JOIN household h ON h.id = r.household_id
         LEFT JOIN area ar ON ar.id = h.area_id
        WHERE r.municipality_id = $1 AND r.id = $2`,
      [municipalityId, residentId],
    );
    return row ?? null;
  }

  /** The municipality's districts, in code order. */
  areas(municipalityId: string): Promise<ResidentAreaChoice[]> {
    return this.dataSource.query<ResidentAreaChoice[]>(
      `SELECT id, name FROM area WHERE municipality_id = $1 ORDER BY code, id`,
      [municipalityId],
    );
  }

  /**
   * The settings a resident changes from the app: the language alerts are sent to them in (what the fanout renders
   * each of their deliveries in) and their extra districts. Only the fields given change.
   */
  async updateSettings(
    municipalityId: string,
    residentId: string,
    settings: { language?: string; extraAreaIds?: string[] },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE resident SET language = COALESCE($3, language), extra_area_ids = COALESCE($4::uuid[], extra_area_ids),
                           updated_at = now()
        WHERE municipality_id = $1 AND id = $2`,
      [municipalityId, residentId, settings.language ?? null, settings.extraAreaIds ?? null],
    );
  }

  /** The newest alerts that reached the resident, newest first (through their endpoints' deliveries). */
  async alerts(municipalityId: string, residentId: string, limit: number): Promise<ResidentAlertRow[]> {
    return this.dataSource.query<ResidentAlertRow[]>(
      `WITH mine AS (
         SELECT d.alert_id FROM delivery d JOIN endpoint e ON e.id = d.endpoint_id
          WHERE e.municipality_id = $1 AND e.resident_id = $2
         UNION
         SELECT alert_id FROM safety_request WHERE resident_id = $2)
       SELECT a.id, a.texts, a.severity, a.is_drill AS "isDrill", a.safety_request AS "safetyRequest",
              a.cancels_alert_id AS "cancelsAlertId", a.status, a.dispatched_at AS "dispatchedAt",
              a.expires_at AS "expiresAt", sr.current_status AS "myAnswer"
         FROM alert a
         JOIN mine ON mine.alert_id = a.id
         LEFT JOIN safety_request sr ON sr.alert_id = a.id AND sr.resident_id = $2
        WHERE a.municipality_id = $1 AND a.dispatched_at IS NOT NULL
        ORDER BY a.dispatched_at DESC, a.id
        LIMIT $3`,
      [municipalityId, residentId, limit],
    );
  }
}
