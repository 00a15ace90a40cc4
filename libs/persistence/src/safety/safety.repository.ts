import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ActorType,
  EscalationState,
  type ResponseChannel,
  type SafetyRevision,
  type SafetyStatus,
} from '@bousai/domain';
import type { AudienceFilter } from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';

export interface RecordAnswer {
  /** Set when the caller is scoped to a municipality (operators, residents): the alert must be one of its own. */
  municipalityId?: string;
  alertId: string;
  residentId: string;
  status: SafetyStatus;
  note: string | null;
  location: { lat: number; lng: number } | null;
  channel: ResponseChannel;
  /** The operator who took the answer by phone or on a visit. */
  recordedBy: string | null;
  /** 家族の安否: the household member who answered for the resident from their own app. */
  answeredByResidentId?: string | null;
  deviceTime?: Date | null;
}

export interface RecordedAnswer {
  requestId: string;
  responseId: string;
  municipalityId: string;
  /** Escalation tasks the answer stopped. */
  stoppedTasks: number;
}

export interface SafetyResponseView {
  id: string;
  status: string;
  note: string | null;
  location: { lat: number; lng: number } | null;
  channel: string;
  recordedBy: string | null;
  /** 家族の安否: the household member who gave this answer for the resident. */
  answeredByResidentId: string | null;
  respondedAt: Date;
}

/** A member of a household and their safety request for an alert (家族の安否). */
export interface HouseholdMemberSafety {
  residentId: string;
  householdId: string | null;
  /** The roster's name: the only personal datum the household's apps see. */
  displayName: string;
  /** The alert asked them for their safety. */
  asked: boolean;
  currentStatus: SafetyStatus | null;
  answeredAt: Date | null;
  /** Who gave the latest answer when another member of the household gave it for them. */
  answeredByResidentId: string | null;
}

export interface SafetyRequestView {
  requestId: string;
  alertId: string;
  residentId: string;
  targetGroup: string;
  currentStatus: SafetyStatus | null;
  answeredAt: Date | null;
  history: SafetyResponseView[];
}

export interface SafetySummaryRow {
  targetGroup: string;
  /** `unanswered` for requests without an answer yet. */
  status: string;
  count: number;
}

/** A resident an alert's safety request asked, and the group it asked them as (`target_group`). */
export interface AskedResident {
  residentId: string;
  group: string;
}

/**
 * Who is asked to confirm their safety for an alert, and every answer they give. The latest answer is
 * denormalised onto `safety_request` in the same statement that keeps it in `safety_response`.
 */
@Injectable()
export class SafetyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Who the alert's safety request asked, each with the group it asked them as. */
  asked(alertId: string): Promise<AskedResident[]> {
    return this.dataSource.query<AskedResident[]>(
      `SELECT resident_id AS "residentId", target_group AS "group" FROM safety_request WHERE alert_id = $1`,
      [alertId],
    );
  }

  /**
   * ONE set-based statement: a `safety_request` row per resident of the municipality the audience selects (places
   * add up, groups narrow; empty groups = everyone). Repeating it adds only residents not asked yet.
   *
   * A correction (訂正) carries the answers given on the alert it corrects (`needsAsking`): a resident who answered
   * it gets the correction's request already answered — status, time and every answer of the history, so reports
   * and the live view count them — and is not asked again (the escalation ladder only looks at unanswered
   * requests). Resolves to the residents newly asked and those whose answer was carried over.
   */
  async ask(
    alertId: string,
    municipalityId: string,
    audience: AudienceFilter,
  ): Promise<{ asked: number; carried: number }> {
    const rows = await this.dataSource.query<{ asked: number; carried: number }[]>(
      `WITH corrected AS (
         SELECT supersedes_alert_id AS id FROM alert WHERE id = $1 AND supersedes_alert_id IS NOT NULL
       ),
       asked AS (
         INSERT INTO safety_request (alert_id, resident_id, target_group, current_status, answered_at)
         SELECT $1, r.id,
                CASE WHEN r.needs_assistance THEN 'needs_assistance' WHEN r.staff THEN 'staff' ELSE 'everyone' END,
                prev.current_status, prev.answered_at
           FROM resident r
           LEFT JOIN household h ON h.id = r.household_id
           LEFT JOIN area a ON a.id = h.area_id
           LEFT JOIN safety_request prev ON prev.alert_id = (SELECT id FROM corrected) AND prev.resident_id = r.id
                                        AND prev.current_status IS NOT NULL
          WHERE r.municipality_id = $2
            AND ($3::boolean
                 OR a.id = ANY ($4::uuid[])
                 OR h.id = ANY ($5::uuid[])
                 OR a.jma_city_code = ANY ($6::text[])
                 OR a.jma_quake_area_code = ANY ($6::text[])
                 OR a.jma_tsunami_area_code = ANY ($6::text[])
                 OR a.jma_eew_area_code = ANY ($6::text[]))
            AND (cardinality($7::text[]) = 0
                 OR (r.needs_assistance AND 'needs_assistance' = ANY ($7::text[]))
                 OR (r.staff AND 'staff' = ANY ($7::text[])))
         ON CONFLICT (alert_id, resident_id) DO NOTHING
         RETURNING id, resident_id, current_status
       ),
       history AS (
         INSERT INTO safety_response (safety_request_id, status, note, latitude, longitude, channel, recorded_by,
                                      responded_at, device_time, answered_by_resident_id)
         SELECT q.id, x.status, x.note, x.latitude, x.longitude, x.channel, x.recorded_by, x.responded_at,
                x.device_time, x.answered_by_resident_id
           FROM asked q
           JOIN safety_request prev ON prev.alert_id = (SELECT id FROM corrected) AND prev.resident_id = q.resident_id
           JOIN safety_response x ON x.safety_request_id = prev.id
          WHERE q.current_status IS NOT NULL
          ORDER BY x.responded_at, x.id
         RETURNING 1
       )
       SELECT count(*) FILTER (WHERE current_status IS NULL)::int AS asked,
              count(*) FILTER (WHERE current_status IS NOT NULL)::int AS carried
         FROM asked`,
      [
        alertId,
        municipalityId,
        audience.everywhere,
        audience.areaIds,
        audience.householdIds,
        audience.jmaCodes,
        audience.groups,
      ],
    );
    return rows[0] ?? { asked: 0, carried: 0 };
  }

  /**
   * The correction chain from `alertId` onwards (the alert itself and every correction of it, of corrections of
   * it, …), each with whether it asked the resident — or, with `householdId`, anyone of the household. Input of
   * `answerTarget`. Empty when the alert is not the municipality's (when one is given).
   */
  revisions(
    alertId: string,
    who: { residentId: string } | { householdId: string },
    municipalityId?: string,
  ): Promise<SafetyRevision[]> {
    const residentId = 'residentId' in who ? who.residentId : null;
    const householdId = 'householdId' in who ? who.householdId : null;
    return this.dataSource.query<SafetyRevision[]>(
      `WITH RECURSIVE chain AS (
         SELECT a.id, a.created_at, 0 AS depth FROM alert a
          WHERE a.id = $1 AND ($4::uuid IS NULL OR a.municipality_id = $4)
         UNION ALL
         SELECT n.id, n.created_at, c.depth + 1 FROM alert n JOIN chain c ON n.supersedes_alert_id = c.id
          WHERE c.depth < 100
       )
       SELECT c.id AS "alertId", c.depth, c.created_at AS "createdAt",
              EXISTS (SELECT 1 FROM safety_request s JOIN resident r ON r.id = s.resident_id
                       WHERE s.alert_id = c.id
                         AND (s.resident_id = $2::uuid OR r.household_id = $3::uuid)) AS asked
         FROM chain c`,
      [alertId, residentId, householdId, municipalityId ?? null],
    );
  }

  /**
   * ONE statement: the answer becomes the request's current status, is appended to the history, and stops the
   * person's escalation ladder (pending and open tasks → cancelled, with an audit row). Resolves to undefined when
   * the resident was not asked for this alert (or the alert is another municipality's).
   */
  async record(answer: RecordAnswer): Promise<RecordedAnswer | undefined> {
    const rows = await this.dataSource.query<unknown>(
      `WITH req AS (
         UPDATE safety_request s SET current_status = $3, answered_at = now()
           FROM alert a
          WHERE s.alert_id = $1 AND s.resident_id = $2 AND a.id = s.alert_id
            AND ($10::uuid IS NULL OR a.municipality_id = $10)
         RETURNING s.id, a.municipality_id
       ),
       resp AS (
         INSERT INTO safety_response (safety_request_id, status, note, latitude, longitude, channel, recorded_by,
                                      device_time, answered_by_resident_id)
         SELECT id, $3, $4, $5, $6, $7, $8, $9, $14 FROM req
         RETURNING id, safety_request_id
       ),
       stopped AS (
         UPDATE escalation_task SET state = $11, completed_at = now()
          WHERE alert_id = $1 AND resident_id = $2 AND state = ANY ($12::text[]) AND EXISTS (SELECT 1 FROM req)
         RETURNING id
       ),
       audited AS (
         INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
         SELECT (SELECT municipality_id FROM req), $13, 'escalation.stop', 'escalation_task', array_agg(id::text),
                jsonb_build_object('alertId', $1::text, 'residentId', $2::text, 'reason', 'answered', 'channel', $7::text)
           FROM stopped HAVING count(*) > 0
       )
       SELECT resp.id::text AS "responseId", resp.safety_request_id AS "requestId",
              (SELECT municipality_id FROM req) AS "municipalityId",
              (SELECT count(*) FROM stopped)::int AS "stoppedTasks"
         FROM resp`,
      [
        answer.alertId,
        answer.residentId,
        answer.status,
        answer.note,
        answer.location?.lat ?? null,
        answer.location?.lng ?? null,
        answer.channel,
        answer.recordedBy,
        answer.deviceTime ?? null,
        answer.municipalityId ?? null,
        EscalationState.Cancelled,
        [EscalationState.Pending, EscalationState.Open],
        ActorType.System,
        answer.answeredByResidentId ?? null,
      ],
    );
    return returnedRows<RecordedAnswer>(rows)[0];
  }

  /**
   * A household receiver's safety button, ONE statement: the answer is recorded for the household's 要援護者 who
   * were asked (or, in a household without any, for everyone of it who was asked), and stops their ladders.
   * Resolves to the residents it was recorded for (none: nobody of the household was asked).
   */
  async recordForHousehold(answer: {
    municipalityId: string;
    alertId: string;
    householdId: string;
    status: SafetyStatus;
    channel: ResponseChannel;
    deviceTime: Date | null;
  }): Promise<{ residentIds: string[]; responseIds: string[] }> {
    const rows = await this.dataSource.query<
      { residentIds: string[] | null; responseIds: string[] | null }[]
    >(
      `WITH asked AS (
         SELECT s.id, s.resident_id, r.needs_assistance
           FROM safety_request s
           JOIN resident r ON r.id = s.resident_id AND r.household_id = $2
           JOIN alert a ON a.id = s.alert_id AND a.municipality_id = $3
          WHERE s.alert_id = $1
       ),
       req AS (
         UPDATE safety_request s SET current_status = $4, answered_at = now()
           FROM asked q
          WHERE s.id = q.id AND (q.needs_assistance OR NOT EXISTS (SELECT 1 FROM asked x WHERE x.needs_assistance))
         RETURNING s.id, s.resident_id
       ),
       resp AS (
         INSERT INTO safety_response (safety_request_id, status, channel, device_time)
         SELECT id, $4, $5, $6 FROM req
         RETURNING id
       ),
       stopped AS (
         UPDATE escalation_task t SET state = $7, completed_at = now()
           FROM req
          WHERE t.alert_id = $1 AND t.resident_id = req.resident_id AND t.state = ANY ($8::text[])
         RETURNING t.id, t.resident_id
       ),
       audited AS (
         INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
         SELECT $3, $9, 'escalation.stop', 'escalation_task', array_agg(id::text),
                jsonb_build_object('alertId', $1::text, 'residentId', resident_id, 'reason', 'answered', 'channel', $5::text)
           FROM stopped GROUP BY resident_id
       )
       SELECT (SELECT array_agg(resident_id) FROM req) AS "residentIds",
              (SELECT array_agg(id::text) FROM resp) AS "responseIds"`,
      [
        answer.alertId,
        answer.householdId,
        answer.municipalityId,
        answer.status,
        answer.channel,
        answer.deviceTime,
        EscalationState.Cancelled,
        [EscalationState.Pending, EscalationState.Open],
        ActorType.System,
      ],
    );
    return { residentIds: rows[0]?.residentIds ?? [], responseIds: rows[0]?.responseIds ?? [] };
  }

  /** The request of one resident with every answer, oldest first; undefined when they were not asked. */
  async request(
    municipalityId: string,
    alertId: string,
    residentId: string,
  ): Promise<SafetyRequestView | undefined> {
    const [req] = await this.dataSource.query<Omit<SafetyRequestView, 'history'>[]>(
      `SELECT s.id AS "requestId", s.alert_id AS "alertId", s.resident_id AS "residentId",
              s.target_group AS "targetGroup", s.current_status AS "currentStatus", s.answered_at AS "answeredAt"
         FROM safety_request s JOIN alert a ON a.id = s.alert_id
        WHERE s.alert_id = $1 AND s.resident_id = $2 AND a.municipality_id = $3`,
      [alertId, residentId, municipalityId],
    );
    if (!req) return undefined;
    const history = await this.dataSource.query<
      (Omit<SafetyResponseView, 'location'> & { lat: number | null; lng: number | null })[]
    >(
      `SELECT id::text AS id, status, note, latitude AS lat, longitude AS lng, channel, recorded_by AS "recordedBy",
              answered_by_resident_id AS "answeredByResidentId", responded_at AS "respondedAt"
         FROM safety_response WHERE safety_request_id = $1 ORDER BY responded_at, id`,
      [req.requestId],
    );
    return {
      ...req,
      history: history.map(({ lat, lng, ...r }) => ({
        ...r,
        location: lat !== null && lng !== null ? { lat, lng } : null,
      })),
    };
  }

  /**
   * 家族の安否: the residents of a household (of the municipality), each with their safety request for the alert
   * when it asked them and who gave its latest answer.
   */
  householdSafety(
    municipalityId: string,
    alertId: string,
    householdId: string,
  ): Promise<HouseholdMemberSafety[]> {
    return this.dataSource.query<HouseholdMemberSafety[]>(
      `SELECT r.id AS "residentId", r.household_id AS "householdId", r.name AS "displayName",
              s.id IS NOT NULL AS asked, s.current_status AS "currentStatus", s.answered_at AS "answeredAt",
              last.answered_by_resident_id AS "answeredByResidentId"
         FROM resident r
         LEFT JOIN (safety_request s JOIN alert a ON a.id = s.alert_id AND a.municipality_id = $1)
                ON s.alert_id = $2 AND s.resident_id = r.id
         LEFT JOIN LATERAL (
           SELECT x.answered_by_resident_id FROM safety_response x
            WHERE x.safety_request_id = s.id ORDER BY x.responded_at DESC, x.id DESC LIMIT 1
         ) last ON true
        WHERE r.municipality_id = $1 AND r.household_id = $3
        ORDER BY r.name, r.id`,
      [municipalityId, alertId, householdId],
    );
  }

  /** Requests per group and current status (`unanswered` when none yet), for the operators' overview. */
  summary(municipalityId: string, alertId: string): Promise<SafetySummaryRow[]> {
    return this.dataSource.query<SafetySummaryRow[]>(
      `SELECT s.target_group AS "targetGroup", COALESCE(s.current_status, 'unanswered') AS status,
              count(*)::int AS count
         FROM safety_request s JOIN alert a ON a.id = s.alert_id
        WHERE s.alert_id = $1 AND a.municipality_id = $2
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [alertId, municipalityId],
    );
  }
}
