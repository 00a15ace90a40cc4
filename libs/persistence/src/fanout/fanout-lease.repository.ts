import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertStatus, type Channel, DeliveryStatus } from '@bousai/domain';
import { retryOnDeadlock, withQueuedHint } from './fanout-sql';

/** A fanout process as it registers its lease. */
export interface FanoutInstance {
  id: string;
  /** Host name and PID namespace: processes with the same host see each other's process ids. */
  host: string;
  pid: number;
}

/** Queued rows released from a lease that lapsed, per batch and attempt count: the job to run for them. */
export interface ReleasedBatch {
  alertId: string;
  channel: Channel;
  batchNo: number;
  attempts: number;
  rows: number;
}

/** What a reclaim released. */
export interface Reclaimed {
  batches: ReleasedBatch[];
  /** Alerts whose queued hint moved, with its new value (at zero or below: time for the completion check). */
  hints: { alertId: string; queued: number }[];
}

/**
 * The leases of fanout processes (`fanout_instance`) and the deliveries they hold (`delivery.claimed_by`). A row
 * a process claimed is sent by that process only, until its lease lapses; then it is released (claimed by nobody,
 * its attempt still counted) and its batch's job for that attempt count is the one path that sends it again.
 */
@Injectable()
export class FanoutLeaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registers the process, or renews its lease (registering it again if another process declared it gone). */
  async renew(instance: FanoutInstance): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO fanout_instance (id, host, pid) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [instance.id, instance.host, instance.pid],
    );
  }

  /** Ends the lease at a clean shutdown (its jobs have finished: it holds nothing). */
  async retire(instanceId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM fanout_instance WHERE id = $1`, [instanceId]);
  }

  /** The other processes registered on `host`, for a successor to tell which of them are gone. */
  async onHost(host: string, except: string): Promise<{ id: string; pid: number }[]> {
    return this.dataSource.query<{ id: string; pid: number }[]>(
      `SELECT id, pid FROM fanout_instance WHERE host = $1 AND id <> $2`,
      [host, except],
    );
  }

  /**
   * Ends the leases that lapsed more than `ttlMs` ago and those in `gone` (processes known to be dead), and
   * releases the rows of dispatching alerts they held, in ONE statement. Resolves to the released queued rows per
   * batch and attempt count (each needs its job again), and the alerts whose queued hint moved: rows a device
   * report settled while their holder was sending them leave the hint here, as the holder's outcome would have
   * done. With `orphans` it also releases rows whose holder is not registered at all (claimed under a lease that
   * was being ended at that moment). Rows are only read when some lease ended or `orphans` asks for it.
   */
  async reclaim(ttlMs: number, gone: readonly string[], orphans: boolean): Promise<Reclaimed> {
    const rows = await retryOnDeadlock(() =>
      this.dataSource.query<
        { batches: ReleasedBatch[] | null; hints: { alertId: string; queued: number }[] | null }[]
      >(
        `WITH ended AS (
           DELETE FROM fanout_instance
            WHERE heartbeat_at < now() - make_interval(secs => $1::float8 / 1000) OR id = ANY ($2::uuid[])
           RETURNING id
         ),
         released AS (
           UPDATE delivery d SET claimed_by = NULL
             FROM alert a
            WHERE (EXISTS (SELECT 1 FROM ended) OR $3::boolean)
              AND a.status = $4 AND d.alert_id = a.id AND d.claimed_by IS NOT NULL
              AND (d.claimed_by IN (SELECT id FROM ended)
                   OR ($3::boolean AND NOT EXISTS (SELECT 1 FROM fanout_instance i WHERE i.id = d.claimed_by)))
           RETURNING d.alert_id, d.channel, d.batch_no, d.attempts, d.status
         ),
         moved AS (
           SELECT alert_id, count(*) AS n FROM released WHERE status NOT IN ($5, $6) GROUP BY alert_id
         ),
         counted AS (
           UPDATE alert a SET counters = ${withQueuedHint('a.counters', '-m.n')}
             FROM moved m
            WHERE a.id = m.alert_id
           RETURNING a.id AS "alertId", (a.counters->'fanout'->>'queued')::int AS queued
         ),
         batches AS (
           SELECT alert_id AS "alertId", channel, batch_no AS "batchNo", attempts::int AS attempts,
                  count(*)::int AS rows
             FROM released
            WHERE status = $5
            GROUP BY alert_id, channel, batch_no, attempts
         )
         SELECT (SELECT json_agg(b ORDER BY b."alertId", b.channel, b."batchNo", b.attempts) FROM batches b)
                  AS batches,
                (SELECT json_agg(c) FROM counted c) AS hints`,
        [ttlMs, gone, orphans, AlertStatus.Dispatching, DeliveryStatus.Queued, DeliveryStatus.Cancelled],
      ),
    );
    return { batches: rows[0].batches ?? [], hints: rows[0].hints ?? [] };
  }
}
