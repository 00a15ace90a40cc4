import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** An alert as the public sees it: sent, to places (not to a group or to chosen households), with its places. */
export interface PublicAlert {
  id: string;
  municipalityCode: string;
  municipalityName: string;
  isDrill: boolean;
  severity: string;
  texts: Record<string, { title: string; body: string }>;
  dispatchedAt: Date;
  expiresAt: Date | null;
  /** The alert this one corrects (`Update`) … */
  supersedes: { id: string; dispatchedAt: Date } | null;
  /** … or withdraws (a cancellation notice: `Cancel`). */
  cancels: { id: string; dispatchedAt: Date } | null;
  /** Names of the areas it targets; empty for the whole municipality. */
  areaNames: string[];
  /** JMA codes of its places by code system: `city`, `quake`, `tsunami`, `eew`, and `other` for bare codes. */
  codes: Record<'city' | 'quake' | 'tsunami' | 'eew' | 'other', string[]>;
  /**
   * For an evacuation order's step: the kind of message (issue, raise, …, lift, retract) and the order's earlier
   * steps that went out, oldest first (what its CAP message references).
   */
  evacuation: { kind: string; earlier: { id: string; dispatchedAt: Date }[] } | null;
}

/**
 * Public alerts: dispatched at some point (whatever happened after: sent, cancelled, superseded), and addressed to
 * places — the whole municipality, areas or JMA codes. Alerts for 要援護者, staff or named households are not public
 * information and never appear here.
 */
const PUBLIC_ALERTS = `
  SELECT a.id, m.code AS "municipalityCode", m.name AS "municipalityName", a.is_drill AS "isDrill", a.severity,
         a.texts, a.dispatched_at AS "dispatchedAt", a.expires_at AS "expiresAt",
         CASE WHEN s.id IS NOT NULL THEN jsonb_build_object('id', s.id, 'dispatchedAt', s.dispatched_at) END
           AS supersedes,
         CASE WHEN o.id IS NOT NULL THEN jsonb_build_object('id', o.id, 'dispatchedAt', o.dispatched_at) END
           AS cancels,
         COALESCE((SELECT array_agg(ar.name ORDER BY ar.code) FROM area ar
                    WHERE ar.id::text IN (SELECT jsonb_array_elements_text(COALESCE(a.targeting->'areaIds', '[]')))),
                  '{}') AS "areaNames",
         jsonb_build_object(
           'city', CASE WHEN a.targeting->>'all' = 'true' THEN to_jsonb(m.jma_city_codes)
                        ELSE COALESCE((SELECT jsonb_agg(DISTINCT ar.jma_city_code) FROM area ar
                                        WHERE ar.jma_city_code IS NOT NULL AND ar.id::text IN
                                          (SELECT jsonb_array_elements_text(COALESCE(a.targeting->'areaIds', '[]')))),
                                      '[]') END,
           'quake', COALESCE((SELECT jsonb_agg(DISTINCT ar.jma_quake_area_code) FROM area ar
                               WHERE ar.jma_quake_area_code IS NOT NULL AND ar.id::text IN
                                 (SELECT jsonb_array_elements_text(COALESCE(a.targeting->'areaIds', '[]')))), '[]'),
           'tsunami', COALESCE((SELECT jsonb_agg(DISTINCT ar.jma_tsunami_area_code) FROM area ar
                                 WHERE ar.jma_tsunami_area_code IS NOT NULL AND ar.id::text IN
                                   (SELECT jsonb_array_elements_text(COALESCE(a.targeting->'areaIds', '[]')))), '[]'),
           'eew', '[]'::jsonb,
           'other', COALESCE(a.targeting->'jmaCodes', '[]'::jsonb)) AS codes,
         CASE WHEN a.evacuation_message IS NOT NULL THEN jsonb_build_object(
           'kind', a.evacuation_message->>'kind',
           'earlier', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', e.id, 'dispatchedAt', e.dispatched_at)
                                                 ORDER BY eh.version)
                                  FROM evacuation_order_history h
                                  JOIN evacuation_order_history eh ON eh.order_id = h.order_id AND eh.version < h.version
                                  JOIN alert e ON e.id = eh.alert_id AND e.dispatched_at IS NOT NULL
                                 WHERE h.alert_id = a.id), '[]'::jsonb)) END AS evacuation
    FROM alert a
    JOIN municipality m ON m.id = a.municipality_id
    LEFT JOIN alert s ON s.id = a.supersedes_alert_id
    LEFT JOIN alert o ON o.id = a.cancels_alert_id
   WHERE a.dispatched_at IS NOT NULL
     AND COALESCE(jsonb_array_length(a.targeting->'groups'), 0) = 0
     AND COALESCE(jsonb_array_length(a.targeting->'householdIds'), 0) = 0
     AND (o.id IS NOT NULL OR a.targeting->>'all' = 'true'
          OR COALESCE(jsonb_array_length(a.targeting->'areaIds'), 0) > 0
          OR COALESCE(jsonb_array_length(a.targeting->'jmaCodes'), 0) > 0)
     AND (o.id IS NULL OR (COALESCE(jsonb_array_length(o.targeting->'groups'), 0) = 0
                           AND COALESCE(jsonb_array_length(o.targeting->'householdIds'), 0) = 0))`;

@Injectable()
export class PublicAlertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The municipality's public alerts (drills or real ones), newest first. */
  async list(municipalityCode: string, drills: boolean, limit: number): Promise<PublicAlert[]> {
    const rows = await this.dataSource.query<PublicAlert[]>(
      `${PUBLIC_ALERTS} AND m.code = $1 AND a.is_drill = $2 ORDER BY a.dispatched_at DESC, a.id LIMIT $3`,
      [municipalityCode, drills, limit],
    );
    return rows.map(revive);
  }

  async get(alertId: string): Promise<PublicAlert | null> {
    const rows = await this.dataSource.query<PublicAlert[]>(`${PUBLIC_ALERTS} AND a.id = $1`, [alertId]);
    return rows[0] ? revive(rows[0]) : null;
  }

  /** Whether a municipality with this code exists (an unknown one is a 404, an empty feed is not). */
  async municipalityName(code: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ name: string }[]>(
      `SELECT name FROM municipality WHERE code = $1`,
      [code],
    );
    return rows[0]?.name ?? null;
  }
}

function revive(row: PublicAlert): PublicAlert {
  const ref = (r: { id: string; dispatchedAt: Date | string } | null) =>
    r ? { id: r.id, dispatchedAt: new Date(r.dispatchedAt) } : null;
  return {
    ...row,
    supersedes: ref(row.supersedes),
    cancels: ref(row.cancels),
    evacuation: row.evacuation && {
      kind: row.evacuation.kind,
      earlier: row.evacuation.earlier.map((e) => ({ id: e.id, dispatchedAt: new Date(e.dispatchedAt) })),
    },
  };
}
