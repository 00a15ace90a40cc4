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
import { preparedQuery } from '../sql/prepared-query';

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
  /** The answer's own audit row, written in the statement that records it. */
  audit?: AnswerAudit;
}

/** Who gave an answer, for its audit row (whose details — alert, resident, status, channel — come from the answer). */
export interface AnswerAudit {
  action: string;
  actorType: ActorType;
  actorId: string | null;
  /** Ids the request named (the alert of the route, …), kept with the request's, the resident's and the answer's. */
  targetIds: readonly string[];
  requestId: string | null;
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
   * The correction chain of each answer's alert, as `revisions` gives it for one (the alert named, every correction
   * of it, …, each with whether it asked that resident), for a whole batch in ONE statement; one list per answer, in
   * order. A list is empty when the alert is not the answer's municipality's (when one is given).
   */
  async revisionsOf(
    answers: readonly { alertId: string; residentId: string; municipalityId?: string }[],
  ): Promise<SafetyRevision[][]> {
    const rows = await preparedQuery<SafetyRevision & { n: number }>(
      this.dataSource,
      'safety.revisions_of',
      `WITH RECURSIVE item AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS i(alert_id, resident_id, municipality_id, n)
       ),
       chain AS (
         SELECT a.id AS root, a.id, a.created_at, 0 AS depth FROM alert a WHERE a.id = ANY ($1::uuid[])
         UNION ALL
         SELECT c.root, x.id, x.created_at, c.depth + 1 FROM alert x JOIN chain c ON x.supersedes_alert_id = c.id
          WHERE c.depth < 100
       )
       SELECT i.n::int AS n, c.id AS "alertId", c.depth, c.created_at AS "createdAt",
              EXISTS (SELECT 1 FROM safety_request s WHERE s.alert_id = c.id AND s.resident_id = i.resident_id) AS asked
         FROM item i
         JOIN alert r ON r.id = i.alert_id AND (i.municipality_id IS NULL OR r.municipality_id = i.municipality_id)
         JOIN chain c ON c.root = i.alert_id`,
      [
        answers.map((a) => a.alertId),
        answers.map((a) => a.residentId),
        answers.map((a) => a.municipalityId ?? null),
      ],
    );
    const lists = answers.map((): SafetyRevision[] => []);
    for (const { n, ...revision } of rows) lists[n - 1].push(revision);
    return lists;
  }

  /** One answer: {@link recordMany} of one. */
  async record(answer: RecordAnswer): Promise<RecordedAnswer | undefined> {
    const [recorded] = await this.recordMany([answer]);
    return recorded;
  }

  /**
   * Records a batch of answers durably, each as if alone: the answer becomes its request's current status, is
   * appended to the history, stops the person's escalation ladder (pending and open tasks → cancelled, with an
   * audit row) and, when it carries one, writes its own audit row — all in ONE statement, so an answer is never
   * kept without its audit row nor the other way round. One result per answer, in order: undefined when the
   * resident was not asked for that alert (or the alert is another municipality's). Two answers of one person to
   * one alert go in order (one statement after the other, in one transaction), so the later stays current.
   */
  async recordMany(answers: readonly RecordAnswer[]): Promise<(RecordedAnswer | undefined)[]> {
    const rounds = inRounds(answers);
    const results: (RecordedAnswer | undefined)[] = answers.map(() => undefined);
    const run = async (query: (params: unknown[]) => Promise<unknown>) => {
      for (const round of rounds) {
        const rows = returnedRows<RecordedAnswer & { n: number }>(
          await query(recordParams(round.map((k) => answers[k]))),
        );
        for (const { n, ...recorded } of rows) results[round[n - 1]] = recorded;
      }
    };
    if (rounds.length === 1) {
      await run((params) => preparedQuery(this.dataSource, 'safety.record_answers', RECORD_ANSWERS, params));
    } else {
      await this.dataSource.transaction((em) => run((params) => em.query(RECORD_ANSWERS, params)));
    }
    return results;
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

/**
 * The statement of {@link SafetyRepository.recordMany} for answers of distinct (alert, resident) pairs, `n` their
 * 1-based place in the parameters' arrays.
 */
const RECORD_ANSWERS = `WITH item AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[],
                         $8::uuid[], $9::timestamptz[], $10::uuid[], $11::uuid[],
                         $12::text[], $13::text[], $14::uuid[], $15::text[], $16::text[])
           WITH ORDINALITY AS i(alert_id, resident_id, status, note, lat, lng, channel, recorded_by, device_time,
                                municipality_id, answered_by, audit_action, audit_actor_type, audit_actor_id,
                                audit_ids, audit_request_id, n)
  ),
  -- each later step reads what it needs from here (joins of one step's rows with another's would be nested loops:
  -- the planner cannot know how many rows a step returns); the answer's id is drawn here for the same reason
  req AS (
    UPDATE safety_request s SET current_status = i.status, answered_at = now()
      FROM item i JOIN alert a ON a.id = i.alert_id
     WHERE s.alert_id = i.alert_id AND s.resident_id = i.resident_id
       AND (i.municipality_id IS NULL OR a.municipality_id = i.municipality_id)
    RETURNING i.*, s.id AS request_id, a.municipality_id AS alert_municipality_id,
              nextval('safety_response_id_seq') AS response_id
  ),
  resp AS (
    INSERT INTO safety_response (id, safety_request_id, status, note, latitude, longitude, channel, recorded_by,
                                 device_time, answered_by_resident_id)
    OVERRIDING SYSTEM VALUE
    SELECT response_id, request_id, status, note, lat, lng, channel, recorded_by, device_time, answered_by FROM req
  ),
  stopped AS (
    UPDATE escalation_task t SET state = $17, completed_at = now()
      FROM req
     WHERE t.alert_id = req.alert_id AND t.resident_id = req.resident_id AND t.state = ANY ($18::text[])
    RETURNING t.id, req.n, req.alert_municipality_id, req.alert_id, req.resident_id, req.channel
  ),
  stop_audit AS (
    INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
    SELECT alert_municipality_id, $19, 'escalation.stop', 'escalation_task', array_agg(id::text),
           jsonb_build_object('alertId', alert_id::text, 'residentId', resident_id::text, 'reason', 'answered',
                              'channel', channel)
      FROM stopped GROUP BY n, alert_municipality_id, alert_id, resident_id, channel
  ),
  answered AS (
    SELECT req.*, COALESCE(c.stopped, 0) AS stopped
      FROM req LEFT JOIN (SELECT n, count(*)::int AS stopped FROM stopped GROUP BY n) c USING (n)
  ),
  answer_audit AS (
    INSERT INTO audit_log (municipality_id, actor_type, actor_id, action, target_type, target_ids, details, request_id)
    SELECT alert_municipality_id, audit_actor_type, audit_actor_id, audit_action, 'safety_request',
           ARRAY[request_id::text, resident_id::text] || string_to_array(audit_ids, ',') || ARRAY[response_id::text],
           jsonb_build_object('alertId', alert_id::text, 'residentId', resident_id::text,
                              'responseId', response_id::text, 'status', status, 'channel', channel,
                              'escalationStopped', stopped),
           audit_request_id
      FROM answered WHERE audit_action IS NOT NULL
  )
  SELECT n::int AS n, request_id AS "requestId", response_id::text AS "responseId",
         alert_municipality_id AS "municipalityId", stopped AS "stoppedTasks"
    FROM answered`;

function recordParams(answers: readonly RecordAnswer[]): unknown[] {
  const column = <T>(of: (a: RecordAnswer) => T) => answers.map(of);
  return [
    column((a) => a.alertId),
    column((a) => a.residentId),
    column((a) => a.status),
    column((a) => a.note),
    column((a) => a.location?.lat ?? null),
    column((a) => a.location?.lng ?? null),
    column((a) => a.channel),
    column((a) => a.recordedBy),
    column((a) => a.deviceTime ?? null),
    column((a) => a.municipalityId ?? null),
    column((a) => a.answeredByResidentId ?? null),
    column((a) => a.audit?.action ?? null),
    column((a) => a.audit?.actorType ?? null),
    column((a) => a.audit?.actorId ?? null),
    column((a) => a.audit?.targetIds.filter((id) => id !== a.residentId).join(',') ?? null),
    column((a) => a.audit?.requestId ?? null),
    EscalationState.Cancelled,
    [EscalationState.Pending, EscalationState.Open],
    ActorType.System,
  ];
}

/**
 * The answers' indexes in statements that each hold one answer per (alert, resident) at most: the first answer of
 * each pair in the first, a second one in the next, and so on — in the order given.
 */
function inRounds(answers: readonly RecordAnswer[]): number[][] {
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  answers.forEach((a, k) => {
    const key = `${a.alertId} ${a.residentId}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(k);
  });
  return rounds;
}
