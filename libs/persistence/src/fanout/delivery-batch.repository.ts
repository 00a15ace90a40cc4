import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Channel, DeliveryStatus, EndpointStatus } from '@bousai/domain';
import { bumpQueuedHint, LIVE_ALERT_CTE, retryOnDeadlock } from './fanout-sql';

export interface BatchKey {
  alertId: string;
  channel: Channel;
  batchNo: number;
}

/** A queued delivery taken for sending, with what the channel needs to address it. */
export interface ClaimedDelivery {
  deliveryId: string;
  endpointId: string;
  address: string;
  subscription: Record<string, unknown> | null;
  language: string;
  /** The resident the endpoint belongs to (null: a household endpoint or a visitor subscription). */
  residentId: string | null;
  /** A visitor subscription (public alerts of chosen districts): no safety answers are offered. */
  visitor: boolean;
  /** False when the endpoint died after planning: record it as failed without sending. */
  endpointActive: boolean;
  /** The resident's answer to the alert's safety request so far (carried from a corrected alert), if any. */
  safetyStatus: string | null;
  /** Send attempts including this one. */
  attempts: number;
}

/** The outcome of one delivery, as it is written. `status: queued` keeps it for a later retry. */
export interface DeliveryOutcomeRow {
  deliveryId: string;
  status: DeliveryStatus;
  errorCode: string | null;
  providerMessageId: string | null;
  /** The device's own time of receipt, when it reported one. */
  deviceDeliveredAt: Date | null;
  /** Mark the endpoint dead (the provider said it will never work again). */
  endpointDead: boolean;
  /** The attempt count the row was claimed at (`ClaimedDelivery.attempts`): the claim this outcome belongs to. */
  attempts: number;
}

/** Who claims: a fanout process whose lease must have been renewed within `freshMs`. */
export interface ClaimLease {
  holder: string;
  freshMs: number;
}

export interface RecordedOutcomes {
  /** Rows that left `queued` in this write. */
  settled: number;
  /** Endpoints newly marked dead. */
  deadEndpoints: number;
  /** The alert's queued hint after this write (null when it did not change). */
  queuedHint: number | null;
}

/** A batch with queued rows at one attempt count, for the sweeper. */
export interface QueuedBatch {
  channel: Channel;
  batchNo: number;
  attempts: number;
  rows: number;
  /** Seconds since the oldest of them was planned. */
  ageSeconds: number;
}

interface CancelRow {
  cancelled: number;
}

@Injectable()
export class DeliveryBatchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes a batch's queued rows for sending, in ONE statement that also counts the attempt and names the holder.
   * Only rows nobody holds and whose attempt count is `attempt` are taken: a row is sent by one job at a time, and
   * a row a process took stays its own until its lease lapses (FanoutLeaseRepository.reclaim releases it). Nothing
   * is taken unless the alert is still dispatching (KEY SHARE lock: see `LIVE_ALERT_CTE`) and the holder's lease
   * is fresh (renewed within `lease.freshMs`): a process whose lease is about to lapse takes no new work.
   */
  async claim(
    batch: BatchKey,
    attempt: number,
    lease: ClaimLease,
  ): Promise<{ live: boolean; holding: boolean; deliveries: ClaimedDelivery[] }> {
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<{ live: number; holding: number; deliveries: ClaimedDelivery[] }[]>(
        `WITH ${LIVE_ALERT_CTE},
         holder AS (
           -- KEY SHARE: a reclaim that ends this lease waits for the claim to commit
           SELECT id FROM fanout_instance
            WHERE id = $7 AND heartbeat_at > now() - make_interval(secs => $8::float8 / 1000)
              FOR KEY SHARE
         ),
         claimed AS (
           UPDATE delivery d SET attempts = d.attempts + 1, claimed_by = $7
            WHERE d.alert_id = $1 AND d.channel = $2 AND d.batch_no = $3 AND d.status = $4
              AND d.attempts = $5 AND d.claimed_by IS NULL
              AND EXISTS (SELECT 1 FROM live) AND EXISTS (SELECT 1 FROM holder)
           RETURNING d.id, d.endpoint_id, d.language, d.attempts
         ),
         targets AS (
           -- a delivery's endpoint_id names an endpoint or a visitor subscription (never both: one id generator)
           SELECT c.id::text AS "deliveryId", c.endpoint_id AS "endpointId", t.address, t.subscription,
                  COALESCE(c.language, 'ja') AS language, t.resident_id AS "residentId",
                  COALESCE(t.status = $6, false) AS "endpointActive", COALESCE(t.visitor, false) AS visitor,
                  (SELECT s.current_status FROM safety_request s
                    WHERE s.alert_id = $1 AND s.resident_id = t.resident_id) AS "safetyStatus",
                  c.attempts::int AS attempts
             FROM claimed c
             LEFT JOIN LATERAL (
               SELECT e.address, e.subscription, e.resident_id, e.status, false AS visitor
                 FROM endpoint e WHERE e.id = c.endpoint_id
               UNION ALL
               SELECT v.endpoint, jsonb_build_object('endpoint', v.endpoint, 'keys', v.keys), NULL::uuid, v.status,
                      true
                 FROM visitor_subscription v WHERE v.id = c.endpoint_id
               LIMIT 1
             ) t ON true
         )
         SELECT (SELECT count(*) FROM live)::int AS live, (SELECT count(*) FROM holder)::int AS holding,
                COALESCE((SELECT json_agg(c ORDER BY c."deliveryId"::bigint) FROM targets c), '[]'::json)
                  AS deliveries`,
        [
          batch.alertId,
          batch.channel,
          batch.batchNo,
          DeliveryStatus.Queued,
          attempt,
          EndpointStatus.Active,
          lease.holder,
          lease.freshMs,
        ],
      ),
    );
    return { live: rows[0].live > 0, holding: rows[0].holding > 0, deliveries: rows[0].deliveries };
  }

  /**
   * Writes a batch's outcomes in ONE statement (`UPDATE … FROM unnest(…)`): status with its stage time, error
   * code, provider message id; endpoints (and visitor subscriptions) the provider declared dead are marked so; settled rows leave the
   * alert's queued hint. Only queued rows change, and rows cancelled while their send was in flight: those did
   * go out, and the record says so. Rows a device report already moved on while they were in flight (a receiver's
   * ack event racing its callback) keep their status, and still leave the hint. Fenced by the claim: a row is only
   * written while `holder` still holds it at the attempt count it claimed (`attempts`); a row released from a
   * lapsed lease (and perhaps claimed again) is left to its new sender. Every written row is released.
   */
  async recordOutcomes(
    alertId: string,
    holder: string,
    outcomes: readonly DeliveryOutcomeRow[],
  ): Promise<RecordedOutcomes> {
    if (outcomes.length === 0) return { settled: 0, deadEndpoints: 0, queuedHint: null };
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<{ settled: number; dead: number; queuedHint: string | null }[]>(
        `WITH u AS (
           SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::boolean[],
                                $15::smallint[])
             AS u(id, status, error_code, provider_message_id, device_at, dead, attempts)
         ),
         old AS (
           -- the batch's rows, each looked up by primary key (id, alert_id: the alert also names the partition),
           -- locked in id order. Row by row through LATERAL, as a plain \`id = ANY (…)\` leaves the access path to
           -- the table statistics: a young partition (a month's first large alert, before autovacuum has analyzed
           -- it) looks tiny and gets read whole for every batch. The steps below name the alert for the same
           -- reasons: without it a row is looked for in every month's partition, and by \`id\` alone the key is
           -- not unique, so a stale estimate can make a hash join over the whole partition look cheaper.
           SELECT d.id, d.status, d.endpoint_id
             FROM (SELECT DISTINCT id FROM unnest($2::bigint[]) AS i(id) ORDER BY id) i
             CROSS JOIN LATERAL (
               SELECT d.id, d.status, d.endpoint_id, d.claimed_by, d.attempts FROM delivery d
                WHERE d.id = i.id AND d.alert_id = $1
                  FOR UPDATE
             ) d
             JOIN u ON u.id = d.id
            WHERE d.claimed_by = $16 AND d.attempts = u.attempts
         ),
         upd AS (
           UPDATE delivery d SET
             claimed_by = NULL,
             status = u.status,
             error_code = u.error_code,
             provider_message_id = COALESCE(u.provider_message_id, d.provider_message_id),
             sent_at = CASE WHEN u.status IN ($8, $9) THEN COALESCE(d.sent_at, now()) ELSE d.sent_at END,
             delivered_at = CASE WHEN u.status = $9 THEN COALESCE(d.delivered_at, now()) ELSE d.delivered_at END,
             device_delivered_at = COALESCE(d.device_delivered_at, u.device_at),
             failed_at = CASE WHEN u.status = $10 THEN now() ELSE d.failed_at END
             FROM old, u
            WHERE d.id = old.id AND d.alert_id = $1 AND u.id = old.id
              AND (old.status = $11 OR (old.status = $12 AND u.status <> $11))
           RETURNING d.id, old.status AS was, d.status AS now
         ),
         moved_on AS (
           -- settled by a device report while in flight: no longer held by anyone
           UPDATE delivery d SET claimed_by = NULL
             FROM old
            WHERE d.id = old.id AND d.alert_id = $1 AND old.status NOT IN ($11, $12)
         ),
         dead AS (
           UPDATE endpoint e SET status = $13, dead_reason = u.error_code, dead_at = now(), updated_at = now()
             FROM u JOIN old ON old.id = u.id
            WHERE u.dead AND e.id = old.endpoint_id AND e.status = $14
           RETURNING e.id
         ),
         dead_visitors AS (
           UPDATE visitor_subscription v SET status = $13, dead_reason = u.error_code, dead_at = now()
             FROM u JOIN old ON old.id = u.id
            WHERE u.dead AND v.id = old.endpoint_id AND v.status = $14
           RETURNING v.id
         ),
         settled AS (
           SELECT count(*)::int AS n FROM (
             SELECT id FROM upd WHERE was = $11 AND now <> $11
             UNION ALL
             -- taken while queued, then moved on by a device report while in flight (not by a cancel, which
             -- counts its own)
             SELECT id FROM old WHERE status NOT IN ($11, $12)
           ) s
         ),
         counted AS (
           ${bumpQueuedHint('-(SELECT n FROM settled)')} AND (SELECT n FROM settled) > 0
           RETURNING (counters->'fanout'->>'queued')::bigint AS q
         )
         SELECT (SELECT n FROM settled) AS settled, ((SELECT count(*) FROM dead) + (SELECT count(*) FROM dead_visitors))::int AS dead,
                (SELECT q FROM counted) AS "queuedHint"`,
        [
          alertId,
          outcomes.map((o) => o.deliveryId),
          outcomes.map((o) => o.status),
          outcomes.map((o) => o.errorCode),
          outcomes.map((o) => o.providerMessageId),
          outcomes.map((o) => o.deviceDeliveredAt),
          outcomes.map((o) => o.endpointDead),
          DeliveryStatus.Sent,
          DeliveryStatus.Delivered,
          DeliveryStatus.Failed,
          DeliveryStatus.Queued,
          DeliveryStatus.Cancelled,
          EndpointStatus.Dead,
          EndpointStatus.Active,
          outcomes.map((o) => o.attempts),
          holder,
        ],
      ),
    );
    const r = rows[0];
    return {
      settled: r.settled,
      deadEndpoints: r.dead,
      queuedHint: r.queuedHint === null ? null : Number(r.queuedHint),
    };
  }

  /** Cancels every still-queued row of the alert, or of one of its batches, in ONE statement; resolves to how many. */
  async cancelQueued(alertId: string, batch?: { channel: Channel; batchNo: number }): Promise<number> {
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<CancelRow[]>(
        `WITH c AS (
           UPDATE delivery SET status = $2, cancelled_at = now()
            WHERE alert_id = $1 AND status = $3
              AND ($4::text IS NULL OR (channel = $4::text AND batch_no = $5::int))
           RETURNING 1
         ),
         counted AS (
           ${bumpQueuedHint('-(SELECT count(*) FROM c)')} AND EXISTS (SELECT 1 FROM c)
         )
         SELECT count(*)::int AS cancelled FROM c`,
        [
          alertId,
          DeliveryStatus.Cancelled,
          DeliveryStatus.Queued,
          batch?.channel ?? null,
          batch?.batchNo ?? null,
        ],
      ),
    );
    return rows[0].cancelled;
  }

  /**
   * The alert's queued rows nobody holds, grouped by batch and attempt count (the sweeper's view of unfinished
   * work; rows a process holds are its own until its lease lapses).
   */
  queuedBatches(alertId: string): Promise<QueuedBatch[]> {
    return this.dataSource
      .query<QueuedBatch[]>(
        `SELECT channel, batch_no AS "batchNo", attempts::int AS attempts, count(*)::int AS rows,
                EXTRACT(EPOCH FROM now() - min(queued_at))::float8 AS "ageSeconds"
           FROM delivery
          WHERE alert_id = $1 AND status = $2 AND claimed_by IS NULL
          GROUP BY channel, batch_no, attempts
          ORDER BY channel, batch_no, attempts`,
        [alertId, DeliveryStatus.Queued],
      )
      .then((rows) => rows.map((r) => ({ ...r, batchNo: Number(r.batchNo) })));
  }
}
