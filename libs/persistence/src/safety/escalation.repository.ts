import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ActorType,
  Channel,
  CLOSED_LADDER_RUNG,
  ConsentScope,
  EndpointStatus,
  ESCALATING_ALERT_STATUSES,
  ESCALATION_WINDOW_HOURS,
  escalationRung,
  type EscalationOutcome,
  EscalationState,
  EscalationStep,
  ResponseChannel,
  supporterFinding,
  supporterReportNeedsFollowUp,
} from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';
import { numberedByChannel, reopenWithQueuedHint, retryOnDeadlock } from '../fanout/fanout-sql';

/** An alert with 要援護者 who were asked and have not answered: the ladder may have work for it. */
export interface EscalationCandidate {
  id: string;
  channels: string[];
  municipalityId: string;
  municipalitySettings: Record<string, unknown>;
  texts: Record<string, { title: string; body: string }>;
  severity: string;
  isDrill: boolean;
}

/** One rung's cut-off: requests made at or before `cutoff` are due; `now` is the scanner's (controllable) clock. */
export interface RungRequest {
  alertId: string;
  now: Date;
  cutoff: Date;
  /** Minutes after the request at which this rung was due (stored as the task's `due_at`). */
  afterMinutes: number;
}

export interface ResendRequest extends RungRequest {
  /** Channels this process can send. */
  channels: readonly Channel[];
  /** Per channel, the first batch number free for new rows. */
  firstBatchNo: ReadonlyMap<string, number>;
  batchSize: number;
}

export interface ResendResult {
  /** Residents whose resend rung ran. */
  residents: number;
  inserted: number;
  batches: { channel: Channel; batchNo: number }[];
}

export interface SupporterTask {
  taskId: string;
  residentId: string;
  supporterId: string;
  priority: number;
  /** Null when the supporter has no address to mail. */
  email: string | null;
  language: string;
  /** The supported person's name, for the supporter's mail only (personal data: never logged). */
  residentName: string;
}

export interface FollowUpEntry {
  taskId: string;
  residentId: string;
  name: string;
  phone: string | null;
  address: string | null;
  householdPhone: string | null;
  /** When the person became due for follow-up (request + T3), or when a supporter handed them over. */
  dueAt: Date;
  /** What supporters reported, in priority order. */
  supporterOutcomes: {
    supporterId: string | null;
    priority: number | null;
    outcome: string | null;
    state: string;
  }[];
}

export type SupporterAnswerResult =
  | { kind: 'recorded'; municipalityId: string; followUp: boolean }
  | { kind: 'closed'; state: string; outcome: string | null }
  | { kind: 'unknown' };

const OPEN_STATES = [EscalationState.Pending, EscalationState.Open];

/**
 * The silent 要援護者 of one alert whose request is at or before `$2` (cut-off), whose ladder is still open (no
 * answer, no supporter's report) and who have not reached this rung: moved to it by an UPDATE. Two fanout
 * processes scanning at once serialise on the row: the second UPDATE re-reads it after the first commits and no
 * longer matches, so a rung never starts twice. `$1` alert id; `extra` a further condition.
 */
const DUE = (step: EscalationStep, extra = 'true') => `due AS (
  UPDATE safety_request s SET escalation_rung = ${escalationRung(step)}
    FROM resident res
   WHERE s.alert_id = $1 AND res.id = s.resident_id AND res.needs_assistance
     AND s.current_status IS NULL AND s.created_at <= $2 AND s.escalation_rung < ${escalationRung(step)}
     AND NOT EXISTS (SELECT 1 FROM escalation_task c
                      WHERE c.alert_id = s.alert_id AND c.resident_id = s.resident_id AND c.outcome IS NOT NULL)
     AND ${extra}
  RETURNING s.id, s.resident_id, s.created_at, res.household_id, COALESCE(res.language, 'ja') AS language,
            res.municipality_id, res.name, res.consent_scopes
)`;

/**
 * The escalation ladder's rows (issue 6 item 3). Each rung is ONE set-based statement per alert that creates its
 * tasks and their audit rows together; a rung is never run twice for the same person (`escalation_rung`).
 */
@Injectable()
export class EscalationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  candidates(now: Date, limit = 200): Promise<EscalationCandidate[]> {
    return this.dataSource.query<EscalationCandidate[]>(
      `SELECT a.id, a.channels, a.municipality_id AS "municipalityId", m.settings AS "municipalitySettings", a.texts,
              a.severity, a.is_drill AS "isDrill"
         FROM alert a JOIN municipality m ON m.id = a.municipality_id
        WHERE a.status = ANY ($1::text[])
          AND EXISTS (SELECT 1 FROM safety_request s JOIN resident r ON r.id = s.resident_id AND r.needs_assistance
                       WHERE s.alert_id = a.id AND s.current_status IS NULL
                         AND s.created_at > $2::timestamptz - make_interval(hours => $3))
        ORDER BY a.created_at DESC LIMIT $4`,
      [ESCALATING_ALERT_STATUSES, now, ESCALATION_WINDOW_HOURS, limit],
    );
  }

  /**
   * T1, ONE statement: for each due person, a `resend` task (done at once) and a delivery on every usable endpoint
   * of theirs or their household's on a channel the alert has not used for them yet; rows are numbered into new
   * batches per channel. A sent alert goes back to dispatching when rows were added (as the channel fallback
   * does), so its batches may claim them; the alert row is locked first, so a cancel is never overtaken.
   */
  async resend(req: ResendRequest): Promise<ResendResult> {
    const channels = [...req.firstBatchNo.keys()];
    const firsts = channels.map((c) => req.firstBatchNo.get(c) ?? 0);
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<unknown>(
        `WITH live AS (
           SELECT id FROM alert WHERE id = $1 AND status = ANY ($3::text[]) FOR UPDATE
         ),
         ${DUE(EscalationStep.Resend, 'EXISTS (SELECT 1 FROM live)')},
         task AS (
           INSERT INTO escalation_task (alert_id, resident_id, step, state, due_at, completed_at)
           SELECT $1, d.resident_id, $4, $5, d.created_at + make_interval(mins => $6), $7
             FROM due d WHERE EXISTS (SELECT 1 FROM live)
           RETURNING id, resident_id
         ),
         cand AS (
           SELECT d.resident_id, o.id AS endpoint_id, o.channel, d.language
             FROM due d
             JOIN endpoint o ON (o.resident_id = d.resident_id
                                 OR (o.resident_id IS NULL AND o.household_id = d.household_id))
                            AND o.status = $8 AND o.channel = ANY ($9::text[])
                            AND (o.channel <> $10 OR o.confirmed_at IS NOT NULL)
            WHERE EXISTS (SELECT 1 FROM live)
              AND NOT EXISTS (
                SELECT 1 FROM delivery x JOIN endpoint xe ON xe.id = x.endpoint_id
                 WHERE x.alert_id = $1 AND x.channel = o.channel
                   AND (xe.resident_id = d.resident_id
                        OR (xe.resident_id IS NULL AND xe.household_id = d.household_id)))
         ),
         -- a household endpoint is shared by everyone in the household: one row for it
         picked AS (
           SELECT DISTINCT ON (endpoint_id) endpoint_id, channel, language FROM cand ORDER BY endpoint_id
         ),
         numbered AS (${numberedByChannel('picked', '$11', '$12', '$13')}),
         ins AS (
           INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, language)
           SELECT $1, endpoint_id, channel, batch_no, language FROM numbered
           ON CONFLICT (alert_id, endpoint_id) DO NOTHING
           RETURNING channel, batch_no
         ),
         counted AS (${reopenWithQueuedHint('(SELECT count(*) FROM ins)')} AND EXISTS (SELECT 1 FROM ins)),
         audited AS (
           INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
           SELECT d.municipality_id, $14, 'escalation.resend', 'escalation_task', ARRAY[t.id::text],
                  jsonb_build_object('alertId', $1::text, 'residentId', t.resident_id,
                                     'channels', (SELECT COALESCE(jsonb_agg(DISTINCT c.channel), '[]'::jsonb)
                                                    FROM cand c WHERE c.resident_id = t.resident_id))
             FROM task t JOIN due d ON d.resident_id = t.resident_id
         )
         SELECT 'task' AS kind, NULL AS channel, NULL::int AS "batchNo", count(*)::int AS n FROM task
         UNION ALL
         SELECT 'batch', channel, batch_no, count(*)::int FROM ins GROUP BY channel, batch_no`,
        [
          req.alertId,
          req.cutoff,
          ESCALATING_ALERT_STATUSES,
          EscalationStep.Resend,
          EscalationState.Done,
          req.afterMinutes,
          req.now,
          EndpointStatus.Active,
          req.channels,
          Channel.Email,
          req.batchSize,
          channels,
          firsts,
          ActorType.System,
        ],
      ),
    );
    const out = returnedRows<{ kind: string; channel: Channel | null; batchNo: number | null; n: number }>(
      rows,
    );
    const batches = out.filter((r) => r.kind === 'batch');
    return {
      residents: out.find((r) => r.kind === 'task')?.n ?? 0,
      inserted: batches.reduce((sum, b) => sum + b.n, 0),
      batches: batches.map((b) => ({ channel: b.channel as Channel, batchNo: Number(b.batchNo) })),
    };
  }

  /**
   * T2, ONE statement: a `supporter` task (open) per supporter of each due person, with their priority; a person
   * without supporters gets one cancelled task without a supporter, so the rung is recorded (and audited) once.
   * Supporters learn who did not answer, so a drill asks them only for people who consented to
   * `share_with_supporters`; a real alert asks them for everyone (the law allows it in a disaster to protect life).
   * Without it the person's rung is recorded as without supporters (audited `withheld`) and T3 follows.
   */
  async supporterTasks(req: RungRequest): Promise<SupporterTask[]> {
    const rows = await this.dataSource.query<unknown>(
      `WITH ${DUE(EscalationStep.Supporter)},
       -- who may be named to their supporters: those who consented; in a real alert everyone (災害対策基本法
       -- 第49条の11第3項: in a disaster, to protect life, without consent), never in a drill without consent
       shares AS (
         SELECT d.resident_id, $9 = ANY (d.consent_scopes) AS consented,
                $9 = ANY (d.consent_scopes) OR NOT (SELECT a.is_drill FROM alert a WHERE a.id = $1) AS allowed
           FROM due d
       ),
       task AS (
         INSERT INTO escalation_task (alert_id, resident_id, supporter_id, step, state, due_at, completed_at)
         SELECT $1, d.resident_id, sp.id, $3, CASE WHEN sp.id IS NULL THEN $4 ELSE $5 END,
                d.created_at + make_interval(mins => $6), CASE WHEN sp.id IS NULL THEN $7::timestamptz END
           FROM due d JOIN shares sh ON sh.resident_id = d.resident_id
           LEFT JOIN supporter sp ON sp.resident_id = d.resident_id AND sh.allowed
         RETURNING id, resident_id, supporter_id
       ),
       audited AS (
         INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
         SELECT d.municipality_id, $8, 'escalation.supporter_task', 'escalation_task', ARRAY[t.id::text],
                jsonb_build_object('alertId', $1::text, 'residentId', t.resident_id, 'supporterId', t.supporter_id,
                                   'priority', sp.priority, 'noSupporter', t.supporter_id IS NULL,
                                   'consented', sh.consented, 'withheld', NOT sh.allowed)
           FROM task t JOIN due d ON d.resident_id = t.resident_id JOIN shares sh ON sh.resident_id = t.resident_id
           LEFT JOIN supporter sp ON sp.id = t.supporter_id
       )
       SELECT t.id AS "taskId", t.resident_id AS "residentId", t.supporter_id AS "supporterId",
              sp.priority, sp.email, COALESCE(sr.language, d.language) AS language, d.name AS "residentName"
         FROM task t JOIN due d ON d.resident_id = t.resident_id
         JOIN supporter sp ON sp.id = t.supporter_id
         LEFT JOIN resident sr ON sr.id = sp.supporter_resident_id
        ORDER BY t.resident_id, sp.priority`,
      [
        req.alertId,
        req.cutoff,
        EscalationStep.Supporter,
        EscalationState.Cancelled,
        EscalationState.Open,
        req.afterMinutes,
        req.now,
        ActorType.System,
        ConsentScope.ShareWithSupporters,
      ],
    );
    return returnedRows<SupporterTask>(rows);
  }

  /** T3, ONE statement: each due person goes on the staff follow-up list (an open `staff_follow_up` task). */
  async followUps(req: RungRequest): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(
      `WITH ${DUE(EscalationStep.StaffFollowUp)},
       task AS (
         INSERT INTO escalation_task (alert_id, resident_id, step, state, due_at)
         SELECT $1, d.resident_id, $3, $4, d.created_at + make_interval(mins => $5) FROM due d
         RETURNING id, resident_id
       ),
       audited AS (
         INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
         SELECT d.municipality_id, $6, 'escalation.staff_follow_up', 'escalation_task', ARRAY[t.id::text],
                jsonb_build_object('alertId', $1::text, 'residentId', t.resident_id)
           FROM task t JOIN due d ON d.resident_id = t.resident_id
       )
       SELECT count(*)::int AS n FROM task`,
      [
        req.alertId,
        req.cutoff,
        EscalationStep.StaffFollowUp,
        EscalationState.Open,
        req.afterMinutes,
        ActorType.System,
      ],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * A supporter's answer, ONE statement: their task → done with the outcome, which closes the ladder: the other
   * open supporter tasks are cancelled; `safe` also cancels an open follow-up, while `needs_help` / `not_home`
   * put the person on the staff follow-up list at once. A supporter who found the person (`safe`, `needs_help`)
   * answers for them: the answer is recorded as the person's (channel `visit`, no operator) and counts in the
   * live view and the drill report; `not_home` answers nothing. Audited.
   *
   * `answersFor` is the alert the person's answer belongs to (`answerTarget`): when a correction replaced the
   * task's alert, what the supporter found is the correction's answer too, its ladder stops, and a follow-up
   * goes on the correction's list.
   */
  async answerSupporterTask(
    taskId: string,
    alertId: string,
    residentId: string,
    outcome: EscalationOutcome,
    answersFor: string = alertId,
  ): Promise<SupporterAnswerResult> {
    const followUp = supporterReportNeedsFollowUp(outcome);
    const rows = await this.dataSource.query<unknown>(
      `WITH t AS (
         UPDATE escalation_task SET state = $5, outcome = $4, completed_at = now()
          WHERE id = $1 AND alert_id = $2 AND resident_id = $3 AND step = $6 AND state = ANY ($7::text[])
         RETURNING id, supporter_id
       ),
       -- the ladder is closed: a scan running now re-reads this row and starts no further rung
       closed AS (
         UPDATE safety_request SET escalation_rung = ${CLOSED_LADDER_RUNG},
                current_status = COALESCE($13::text, current_status),
                answered_at = CASE WHEN $13::text IS NULL THEN answered_at ELSE now() END
          WHERE alert_id IN ($2, $15) AND resident_id = $3 AND EXISTS (SELECT 1 FROM t)
         RETURNING id
       ),
       -- the supporter saw the person: what they found is the person's answer, taken on a visit
       answered AS (
         INSERT INTO safety_response (safety_request_id, status, note, channel)
         SELECT id, $13, 'reported by a supporter', $14 FROM closed WHERE $13::text IS NOT NULL
         RETURNING id
       ),
       others AS (
         UPDATE escalation_task SET state = $8, completed_at = now()
          WHERE alert_id IN ($2, $15) AND resident_id = $3 AND id <> $1 AND state = ANY ($7::text[])
            AND (step = $6 OR NOT $9::boolean) AND EXISTS (SELECT 1 FROM t)
         RETURNING id
       ),
       staff AS (
         INSERT INTO escalation_task (alert_id, resident_id, step, state, due_at)
         SELECT $15::uuid, $3, $10, $11, now()
          WHERE $9::boolean AND EXISTS (SELECT 1 FROM t)
            AND NOT EXISTS (SELECT 1 FROM escalation_task x
                             WHERE x.alert_id = $15 AND x.resident_id = $3 AND x.step = $10 AND x.state = ANY ($7::text[]))
         RETURNING id
       ),
       audited AS (
         INSERT INTO audit_log (municipality_id, actor_type, action, target_type, target_ids, details)
         SELECT a.municipality_id, $12, 'escalation.supporter_answer', 'escalation_task',
                ARRAY[t.id::text] || ARRAY(SELECT id::text FROM others) || ARRAY(SELECT id::text FROM staff),
                jsonb_build_object('alertId', $2::text, 'residentId', $3::text, 'supporterId', t.supporter_id,
                                   'outcome', $4::text, 'cancelled', (SELECT count(*) FROM others),
                                   'followUp', EXISTS (SELECT 1 FROM staff),
                                   'answered', EXISTS (SELECT 1 FROM answered))
           FROM t JOIN alert a ON a.id = $2
         RETURNING municipality_id
       )
       SELECT 'recorded' AS kind, (SELECT municipality_id FROM audited) AS "municipalityId", NULL AS state,
              NULL AS outcome FROM t
       UNION ALL
       SELECT 'closed', NULL, state, outcome FROM escalation_task
        WHERE id = $1 AND alert_id = $2 AND resident_id = $3 AND NOT EXISTS (SELECT 1 FROM t)`,
      [
        taskId,
        alertId,
        residentId,
        outcome,
        EscalationState.Done,
        EscalationStep.Supporter,
        OPEN_STATES,
        EscalationState.Cancelled,
        followUp,
        EscalationStep.StaffFollowUp,
        EscalationState.Open,
        ActorType.System,
        supporterFinding(outcome),
        ResponseChannel.Visit,
        answersFor,
      ],
    );
    const [row] = returnedRows<{
      kind: 'recorded' | 'closed';
      municipalityId: string | null;
      state: string | null;
      outcome: string | null;
    }>(rows);
    if (!row) return { kind: 'unknown' };
    if (row.kind === 'recorded')
      return { kind: 'recorded', municipalityId: row.municipalityId ?? '', followUp };
    return { kind: 'closed', state: row.state ?? '', outcome: row.outcome };
  }

  /** The staff follow-up list of an alert: people with an open follow-up task, the longest waiting first. */
  followUpList(municipalityId: string, alertId: string): Promise<FollowUpEntry[]> {
    return this.dataSource.query<FollowUpEntry[]>(
      `SELECT t.id AS "taskId", r.id AS "residentId", r.name, r.phone, h.address, h.phone AS "householdPhone",
              t.due_at AS "dueAt",
              COALESCE((SELECT jsonb_agg(jsonb_build_object('supporterId', s.supporter_id, 'priority', sp.priority,
                                                            'outcome', s.outcome, 'state', s.state)
                                         ORDER BY sp.priority NULLS LAST)
                          FROM escalation_task s LEFT JOIN supporter sp ON sp.id = s.supporter_id
                         WHERE s.alert_id = t.alert_id AND s.resident_id = t.resident_id AND s.step = $4),
                       '[]'::jsonb) AS "supporterOutcomes"
         FROM escalation_task t
         JOIN alert a ON a.id = t.alert_id AND a.municipality_id = $2
         JOIN resident r ON r.id = t.resident_id
         LEFT JOIN household h ON h.id = r.household_id
        WHERE t.alert_id = $1 AND t.step = $3 AND t.state = ANY ($5::text[])
        ORDER BY t.due_at, t.id`,
      [alertId, municipalityId, EscalationStep.StaffFollowUp, EscalationStep.Supporter, OPEN_STATES],
    );
  }

  /** Every task of one person for an alert, oldest first (tests and the operators' detail view). */
  tasksOf(
    alertId: string,
    residentId: string,
  ): Promise<
    {
      id: string;
      step: string;
      state: string;
      outcome: string | null;
      supporterId: string | null;
      dueAt: Date;
      completedAt: Date | null;
    }[]
  > {
    return this.dataSource.query(
      `SELECT t.id, t.step, t.state, t.outcome, t.supporter_id AS "supporterId", t.due_at AS "dueAt",
              t.completed_at AS "completedAt"
         FROM escalation_task t LEFT JOIN supporter sp ON sp.id = t.supporter_id
        WHERE t.alert_id = $1 AND t.resident_id = $2
        ORDER BY t.created_at, sp.priority NULLS FIRST, t.id`,
      [alertId, residentId],
    );
  }
}
