import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AlertStatus,
  CONFIRMATION_MILESTONES,
  DrillScheduleState,
  type EscalationTaskView,
} from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';

/** A drill as the list shows it: launched (an alert that went out) or waiting for its time. */
export interface DrillListItem {
  alertId: string;
  title: string | null;
  alertStatus: string;
  scheduleId: string | null;
  scheduledAt: Date | null;
  scheduleState: string | null;
  launchedAt: Date | null;
  asked: number;
  answered: number;
}

/** Per alert and group (`all` = everyone asked): how many were asked and answered, and how they answered. */
export interface DrillGroupStats {
  alertId: string;
  group: string;
  asked: number;
  answered: number;
  /** `{ safe: n, need_help: n, … }` over the current answers. */
  statuses: Record<string, number>;
  /** `{ "0.25": minutes, … }`: minutes from launch to the first answer that brought the group to that share. */
  curve: Record<string, number>;
}

/** Per district (null: households without one, or residents without a household) and group. */
export interface DrillDistrictStats {
  areaId: string | null;
  areaCode: string | null;
  areaName: string | null;
  group: string;
  asked: number;
  answered: number;
}

export interface DrillNonResponder {
  residentId: string;
  externalId: string;
  name: string;
  group: string;
  areaName: string | null;
  address: string | null;
  phone: string | null;
  supporters: { name: string; relation: string; priority: number; phone: string | null }[];
  escalation: (EscalationTaskView & { priority: number | null; supporterName: string | null })[];
}

export interface PreviousDrill {
  alertId: string;
  title: string | null;
  launchedAt: Date;
}

export interface DueDrill {
  scheduleId: string;
  municipalityId: string;
  alertId: string;
  createdBy: string | null;
}

const DRILL_VIEW = `SELECT a.id AS "alertId", a.texts->'ja'->>'title' AS title, a.status AS "alertStatus",
         d.id AS "scheduleId", d.scheduled_at AS "scheduledAt", d.state AS "scheduleState",
         a.dispatched_at AS "launchedAt",
         (SELECT count(*) FROM safety_request s WHERE s.alert_id = a.id)::int AS asked,
         (SELECT count(*) FROM safety_request s WHERE s.alert_id = a.id AND s.current_status IS NOT NULL)::int
           AS answered
    FROM alert a LEFT JOIN drill_schedule d ON d.alert_id = a.id`;

/** `safety_request` of `$1` (alert ids) with the time of each person's first answer (answers are history). */
const REQUESTS = `SELECT s.alert_id, s.resident_id, s.target_group AS grp, s.current_status,
         (SELECT min(x.responded_at) FROM safety_response x WHERE x.safety_request_id = s.id) AS first_at
    FROM safety_request s WHERE s.alert_id = ANY ($1::uuid[])`;

/**
 * Drills and their reports (issue 6 item 5). Every figure is one set-based statement over `safety_request`,
 * `safety_response` and `escalation_task`: a report of a whole town never loads its residents into memory
 * (only the list of non-responders comes back row by row).
 */
@Injectable()
export class DrillRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async schedule(input: {
    municipalityId: string;
    alertId: string;
    scheduledAt: Date;
    createdBy: string;
  }): Promise<string> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO drill_schedule (municipality_id, alert_id, scheduled_at, created_by)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [input.municipalityId, input.alertId, input.scheduledAt, input.createdBy],
    );
    return rows[0].id;
  }

  /** Scheduled → cancelled; resolves to the drill's alert, or undefined when it is not (or no longer) waiting. */
  async cancel(municipalityId: string, scheduleId: string): Promise<string | undefined> {
    const rows = await this.dataSource.query<unknown>(
      `UPDATE drill_schedule SET state = $3, updated_at = now()
        WHERE id = $1 AND municipality_id = $2 AND state = $4
       RETURNING alert_id AS "alertId"`,
      [scheduleId, municipalityId, DrillScheduleState.Cancelled, DrillScheduleState.Scheduled],
    );
    return returnedRows<{ alertId: string }>(rows)[0]?.alertId;
  }

  /**
   * Claims the drills due at `now` whose alert is approved (or only `scheduleId`), ONE statement: scheduled →
   * launched. Several api processes may run the scheduler: `SKIP LOCKED` and the state change give each due drill
   * to exactly one of them. A drill still waiting for its approval is claimed once it has it.
   */
  async claimDue(now: Date, scheduleId?: string, limit = 20): Promise<DueDrill[]> {
    const rows = await this.dataSource.query<unknown>(
      `UPDATE drill_schedule d SET state = $2, launched_at = $1, updated_at = now()
        WHERE d.id IN (SELECT s.id FROM drill_schedule s JOIN alert a ON a.id = s.alert_id AND a.status = $5
                        WHERE s.state = $3 AND s.scheduled_at <= $1 AND ($6::uuid IS NULL OR s.id = $6)
                        ORDER BY s.scheduled_at LIMIT $4 FOR UPDATE OF s SKIP LOCKED)
       RETURNING d.id AS "scheduleId", d.municipality_id AS "municipalityId", d.alert_id AS "alertId",
                 d.created_by AS "createdBy"`,
      [
        now,
        DrillScheduleState.Launched,
        DrillScheduleState.Scheduled,
        limit,
        AlertStatus.Approved,
        scheduleId ?? null,
      ],
    );
    return returnedRows<DueDrill>(rows);
  }

  async markFailed(scheduleId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE drill_schedule SET state = $2, error = $3, updated_at = now() WHERE id = $1`,
      [scheduleId, DrillScheduleState.Failed, error.slice(0, 500)],
    );
  }

  /** The municipality's drills, newest first (scheduled ones by their time), with how many answered so far. */
  list(municipalityId: string, limit = 50): Promise<DrillListItem[]> {
    return this.dataSource.query<DrillListItem[]>(
      `${DRILL_VIEW}
        WHERE a.municipality_id = $1 AND a.is_drill AND (a.dispatched_at IS NOT NULL OR d.id IS NOT NULL)
        ORDER BY COALESCE(a.dispatched_at, d.scheduled_at) DESC, a.id
        LIMIT $2`,
      [municipalityId, limit],
    );
  }

  async get(municipalityId: string, alertId: string): Promise<DrillListItem | undefined> {
    const rows = await this.dataSource.query<DrillListItem[]>(
      `${DRILL_VIEW} WHERE a.municipality_id = $1 AND a.id = $2 AND a.is_drill`,
      [municipalityId, alertId],
    );
    return rows[0];
  }

  /** The drills of the municipality launched before `before`, newest first: what a report compares with. */
  previous(municipalityId: string, alertId: string, before: Date, limit = 5): Promise<PreviousDrill[]> {
    return this.dataSource.query<PreviousDrill[]>(
      `SELECT a.id AS "alertId", a.texts->'ja'->>'title' AS title, a.dispatched_at AS "launchedAt"
         FROM alert a
        WHERE a.municipality_id = $1 AND a.is_drill AND a.id <> $2 AND a.dispatched_at < $3
          AND EXISTS (SELECT 1 FROM safety_request s WHERE s.alert_id = a.id)
        ORDER BY a.dispatched_at DESC LIMIT $4`,
      [municipalityId, alertId, before, limit],
    );
  }

  /**
   * Per alert and group, ONE statement: asked, answered, the current answers, and the confirmation curve. The
   * curve ranks each group's first answers in time; the share p is reached by the answer ranked ceil(p × asked)
   * (absent when fewer answered). Minutes are counted from the alert's dispatch (the launch).
   */
  async groupStats(alertIds: readonly string[]): Promise<DrillGroupStats[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.dataSource.query<
      (Omit<DrillGroupStats, 'statuses' | 'curve'> & {
        statuses: Record<string, number> | null;
        curve: Record<string, number> | null;
      })[]
    >(
      `WITH req AS (${REQUESTS}),
       grouped AS (
         SELECT alert_id, grp, current_status, first_at FROM req
         UNION ALL
         SELECT alert_id, 'all', current_status, first_at FROM req
       ),
       ranked AS (
         SELECT g.*, row_number() OVER (PARTITION BY alert_id, grp ORDER BY first_at NULLS LAST) AS rn,
                count(*) OVER (PARTITION BY alert_id, grp) AS asked
           FROM grouped g
       ),
       milestones AS (
         SELECT r.alert_id, r.grp, m.p,
                round((GREATEST(0, extract(epoch FROM r.first_at - a.dispatched_at)) / 60)::numeric, 2) AS minutes
           FROM ranked r
           JOIN alert a ON a.id = r.alert_id
           JOIN unnest($2::numeric[]) AS m(p) ON r.rn = ceil(m.p * r.asked)
          WHERE r.first_at IS NOT NULL
       ),
       statuses AS (
         SELECT alert_id, grp, jsonb_object_agg(current_status, n) AS statuses
           FROM (SELECT alert_id, grp, current_status, count(*)::int AS n FROM grouped
                  WHERE current_status IS NOT NULL GROUP BY 1, 2, 3) s
          GROUP BY 1, 2
       )
       SELECT t.alert_id AS "alertId", t.grp AS "group", t.asked, t.answered, st.statuses,
              (SELECT jsonb_object_agg(m.p::text, m.minutes) FROM milestones m
                WHERE m.alert_id = t.alert_id AND m.grp = t.grp) AS curve
         FROM (SELECT alert_id, grp, count(*)::int AS asked, count(current_status)::int AS answered
                 FROM grouped GROUP BY 1, 2) t
         LEFT JOIN statuses st ON st.alert_id = t.alert_id AND st.grp = t.grp`,
      [alertIds, CONFIRMATION_MILESTONES],
    );
    return rows.map((r) => ({
      ...r,
      statuses: r.statuses ?? {},
      curve: Object.fromEntries(Object.entries(r.curve ?? {}).map(([p, m]) => [p, Number(m)])),
    }));
  }

  /** Per district and group of one alert, ONE statement (group `all`: the district's total). */
  districtStats(alertId: string): Promise<DrillDistrictStats[]> {
    return this.dataSource.query<DrillDistrictStats[]>(
      `SELECT ar.id AS "areaId", ar.code AS "areaCode", ar.name AS "areaName",
              COALESCE(s.target_group, 'all') AS "group",
              count(*)::int AS asked, count(s.current_status)::int AS answered
         FROM safety_request s
         JOIN resident r ON r.id = s.resident_id
         LEFT JOIN household h ON h.id = r.household_id
         LEFT JOIN area ar ON ar.id = h.area_id
        WHERE s.alert_id = $1
        GROUP BY GROUPING SETS ((ar.id, ar.code, ar.name, s.target_group), (ar.id, ar.code, ar.name))
        ORDER BY ar.code NULLS LAST, ar.id, GROUPING(s.target_group) DESC, s.target_group`,
      [alertId],
    );
  }

  /**
   * The asked who have not answered, 要援護者 first, then staff, then by district: with their supporters in
   * priority order and every escalation task started for them.
   */
  nonResponders(alertId: string): Promise<DrillNonResponder[]> {
    return this.dataSource.query<DrillNonResponder[]>(
      `SELECT r.id AS "residentId", r.external_id AS "externalId", r.name, s.target_group AS "group",
              ar.name AS "areaName", h.address, COALESCE(r.phone, h.phone) AS phone,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('name', sp.name, 'relation', sp.relation,
                                                            'priority', sp.priority, 'phone', sp.phone)
                                         ORDER BY sp.priority)
                          FROM supporter sp WHERE sp.resident_id = r.id), '[]'::jsonb) AS supporters,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('step', t.step, 'state', t.state, 'outcome', t.outcome,
                                                            'priority', sp.priority, 'supporterName', sp.name)
                                         ORDER BY t.created_at, sp.priority)
                          FROM escalation_task t LEFT JOIN supporter sp ON sp.id = t.supporter_id
                         WHERE t.alert_id = s.alert_id AND t.resident_id = s.resident_id), '[]'::jsonb) AS escalation
         FROM safety_request s
         JOIN resident r ON r.id = s.resident_id
         LEFT JOIN household h ON h.id = r.household_id
         LEFT JOIN area ar ON ar.id = h.area_id
        WHERE s.alert_id = $1 AND s.current_status IS NULL
        ORDER BY CASE s.target_group WHEN 'needs_assistance' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END,
                 ar.code NULLS LAST, r.external_id`,
      [alertId],
    );
  }
}
