import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type AlertEvacuationMessage,
  type AlertSource,
  AlertStatus,
  type Channel,
  DeliveryStatus,
  type Severity,
  type Targeting,
} from '@bousai/domain';
import { returnedRows } from '../sql/pg-errors';

/** An alert as the fan-out reads it: what to send, to whom, and how far the fan-out got. */
export interface FanoutAlert {
  id: string;
  municipalityId: string;
  status: AlertStatus;
  source: AlertSource;
  severity: Severity;
  texts: Record<string, { title: string; body: string }>;
  targeting: Targeting;
  channels: Channel[];
  isDrill: boolean;
  safetyRequest: boolean;
  expiresAt: Date | null;
  cancelledBy: string | null;
  /** Set on a cancellation notice: the alert it withdraws. */
  cancelsAlertId: string | null;
  /** Set on the alert of an evacuation order step: its message kind and level. */
  evacuationMessage: AlertEvacuationMessage | null;
  createdAt: Date;
  /** Rows planned per channel, set once planning finished (`counters.planned`); null while planning. */
  planned: Record<string, number> | null;
  /** The municipality's settings (channel fallback policy among them). */
  municipalitySettings: Record<string, unknown>;
  /** `counters.fanout.queued`: rows not yet settled as the fan-out counts them (a hint, see `bumpQueuedHint`). */
  queuedHint: number | null;
}

/** A dispatching alert, for the sweeper. */
export interface DispatchingAlert {
  id: string;
  planned: boolean;
  /** Seconds since it was handed to the fan-out. */
  ageSeconds: number;
}

const SELECT_ALERT = `
  SELECT id, municipality_id AS "municipalityId", status, source, severity, texts, targeting, channels,
         is_drill AS "isDrill", safety_request AS "safetyRequest", expires_at AS "expiresAt",
         cancelled_by AS "cancelledBy", cancels_alert_id AS "cancelsAlertId",
         evacuation_message AS "evacuationMessage", created_at AS "createdAt",
         CASE WHEN counters ? 'planned' THEN COALESCE(counters->'planned', '{}'::jsonb) END AS planned,
         (counters->'fanout'->>'queued')::bigint AS "queuedHint",
         (SELECT m.settings FROM municipality m WHERE m.id = alert.municipality_id) AS "municipalitySettings"
    FROM alert`;

/** Statuses of a delivery that left the queue for good or for now (everything but `queued`). */
const QUEUED = DeliveryStatus.Queued;

@Injectable()
export class FanoutAlertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(alertId: string): Promise<FanoutAlert | null> {
    const rows = await this.dataSource.query<(FanoutAlert & { queuedHint: string | null })[]>(
      `${SELECT_ALERT} WHERE id = $1`,
      [alertId],
    );
    const row = rows[0];
    if (!row) return null;
    return { ...row, queuedHint: row.queuedHint === null ? null : Number(row.queuedHint) };
  }

  /**
   * Marks planning finished: `counters.planned` gets the number of delivery rows per planned channel (0 for a
   * channel nobody in the audience has), counted from the rows themselves so a replayed plan reports the same.
   * Only while the alert is dispatching; resolves to the totals, or null when it no longer is.
   */
  async recordPlanned(alertId: string, channels: readonly string[]): Promise<Record<string, number> | null> {
    const rows = await this.dataSource.query<unknown>(
      `UPDATE alert a SET counters = a.counters || jsonb_build_object('planned', COALESCE((
           SELECT jsonb_object_agg(c.channel, COALESCE(n.cnt, 0))
             FROM unnest($2::text[]) AS c(channel)
             LEFT JOIN (SELECT channel, count(*) AS cnt FROM delivery WHERE alert_id = $1 GROUP BY channel) n
               ON n.channel = c.channel), '{}'::jsonb))
        WHERE a.id = $1 AND a.status = $3
       RETURNING a.counters->'planned' AS planned`,
      [alertId, channels, AlertStatus.Dispatching],
    );
    const returned = returnedRows<{ planned: Record<string, number> }>(rows);
    return returned[0]?.planned ?? null;
  }

  /**
   * dispatching → `to` (sent) once planning finished and no delivery is queued any more. The alert row is locked
   * FOR UPDATE first: that waits for every plan or claim statement holding its KEY SHARE lock, so the check below
   * sees their rows and none can start meanwhile. Resolves to whether this call made the transition.
   */
  complete(alertId: string, to: AlertStatus): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const locked = await em.query<{ planned: boolean }[]>(
        `SELECT counters ? 'planned' AS planned FROM alert WHERE id = $1 AND status = $2 FOR UPDATE`,
        [alertId, AlertStatus.Dispatching],
      );
      if (!locked[0]?.planned) return false;
      const queued = await em.query<unknown[]>(
        `SELECT 1 FROM delivery WHERE alert_id = $1 AND status = $2 LIMIT 1`,
        [alertId, QUEUED],
      );
      if (queued.length > 0) return false;
      await em.query(
        `UPDATE alert SET status = $2, sent_at = COALESCE(sent_at, now()), updated_at = now(),
                counters = counters || jsonb_build_object('fanout',
                  COALESCE(counters->'fanout', '{}'::jsonb) || '{"queued": 0}'::jsonb)
          WHERE id = $1`,
        [alertId, to],
      );
      return true;
    });
  }

  /** Alerts the fan-out is working on, oldest first. */
  dispatching(limit: number): Promise<DispatchingAlert[]> {
    return this.dataSource.query<DispatchingAlert[]>(
      `SELECT id, counters ? 'planned' AS planned,
              EXTRACT(EPOCH FROM now() - COALESCE(dispatched_at, updated_at))::float8 AS "ageSeconds"
         FROM alert WHERE status = $1
        ORDER BY dispatched_at NULLS FIRST
        LIMIT $2`,
      [AlertStatus.Dispatching, limit],
    );
  }

  /**
   * Alerts stopped (cancelled, superseded, closed) in the last `withinSeconds` that still have queued rows: their
   * batches cancel those rows when they run, this finds the ones whose job was lost.
   */
  stoppedWithQueued(
    stopped: readonly AlertStatus[],
    withinSeconds: number,
    limit: number,
  ): Promise<string[]> {
    return this.dataSource
      .query<{ id: string }[]>(
        `SELECT a.id FROM alert a
          WHERE a.status = ANY($1::text[]) AND a.updated_at > now() - make_interval(secs => $2)
            AND EXISTS (SELECT 1 FROM delivery d WHERE d.alert_id = a.id AND d.status = $3)
          LIMIT $4`,
        [stopped, withinSeconds, QUEUED, limit],
      )
      .then((rows) => rows.map((r) => r.id));
  }
}
