import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Channel, DELIVERY_FORWARD_ORDER, DeliveryStatus } from '@bousai/domain';
import { preparedQuery } from '../sql/prepared-query';

/** The stages a resident's app or browser acknowledges (receivers report theirs over socket.io). */
export type AckStage = DeliveryStatus.Delivered | DeliveryStatus.Read;

/** One acknowledgement as it arrived, with who may make it. */
export interface DeliveryAckRow {
  deliveryId: string;
  stage: AckStage;
  /**
   * The resident whose credential made the ack: it only counts for a delivery to one of their own endpoints.
   * Null when a per-delivery signed token already proved the caller received that delivery.
   */
  residentId: string | null;
  /** Server time the ack arrived. */
  at: Date;
  /** The device's own time of the event, kept beside the server's. */
  deviceAt: Date | null;
}

/** The delivery's status once the batch committed, or null: no such delivery, or not the resident's. */
export type DeliveryAckResult = { status: DeliveryStatus } | null;

function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Writes group commits of delivery acknowledgements (docs/architecture.md §6) in one statement each.
 *
 * Rules, the same as the receivers' (ReceiverRepository): a status only moves forward along
 * DELIVERY_FORWARD_ORDER, and a final one (failed, expired, cancelled) is never overwritten; a repeated or late ack
 * fills a time that is still missing but never changes one already recorded, except that the device's times are
 * the earliest it reported (a phone that acks, loses the answer and acks again reports the first time twice, or a
 * later one). A `read` implies the alert arrived, so it also fills `delivered_at` when that is still empty.
 */
@Injectable()
export class DeliveryAckRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Ids of the alert's deliveries on `channel` the provider accepted and no device acknowledged yet, after
   * `afterId` in id order, `limit` at a time (page on with the last id).
   */
  async awaitingAck(alertId: string, channel: Channel, afterId: string, limit = 5_000): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM delivery
        WHERE alert_id = $1 AND channel = $2 AND status = $3 AND id > $4::bigint
        ORDER BY id LIMIT $5`,
      [alertId, channel, DeliveryStatus.Sent, afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Applies `acks` and returns one result per ack, in order. Several acks of the same delivery in one batch are
   * folded into one row before the UPDATE (an `UPDATE … FROM` that matched a row twice would apply only one of
   * them); an ack the caller may not make is left out before folding, so it can neither change nor hide another's.
   * A deadlock with another bulk writer of the same rows (the receivers' group commit) is retried.
   */
  async apply(acks: readonly DeliveryAckRow[]): Promise<DeliveryAckResult[]> {
    if (acks.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(acks);
      } catch (err) {
        if (attempt >= 3 || !isDeadlock(err)) throw err;
      }
    }
  }

  private async applyOnce(acks: readonly DeliveryAckRow[]): Promise<DeliveryAckResult[]> {
    const rows = await preparedQuery<{ ord: number; status: DeliveryStatus }>(
      this.dataSource,
      'delivery.apply_acks',
      `WITH r AS (
         SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[])
           AS r(ord, id, stage, resident_id, at, device_at)
       ),
       allowed AS (
         SELECT r.ord, r.id, r.stage, r.at, r.device_at, d.status
           FROM r
           JOIN delivery d ON d.id = r.id
           LEFT JOIN endpoint e ON r.resident_id IS NOT NULL AND e.id = d.endpoint_id
          WHERE r.resident_id IS NULL OR e.resident_id = r.resident_id
       ),
       folded AS (
         SELECT id,
                min(at) FILTER (WHERE stage = 'delivered') AS delivered_at,
                min(device_at) FILTER (WHERE stage = 'delivered') AS device_delivered_at,
                min(at) FILTER (WHERE stage = 'read') AS read_at,
                min(device_at) FILTER (WHERE stage = 'read') AS device_read_at,
                CASE WHEN bool_or(stage = 'read') THEN 'read' ELSE 'delivered' END AS target
           FROM allowed
          GROUP BY id
       ),
       progressed AS (
         UPDATE delivery d SET
           status = CASE WHEN array_position($7::text[], f.target) > array_position($7::text[], d.status)
                         THEN f.target ELSE d.status END,
           delivered_at = COALESCE(d.delivered_at, f.delivered_at, f.read_at),
           device_delivered_at = LEAST(d.device_delivered_at, f.device_delivered_at),
           read_at = COALESCE(d.read_at, f.read_at),
           device_read_at = LEAST(d.device_read_at, f.device_read_at)
         FROM folded f
         WHERE d.id = f.id
           AND array_position($7::text[], d.status) IS NOT NULL
           AND (   d.delivered_at IS NULL
                OR (f.read_at IS NOT NULL AND d.read_at IS NULL)
                OR f.device_delivered_at < d.device_delivered_at
                OR (f.device_delivered_at IS NOT NULL AND d.device_delivered_at IS NULL)
                OR f.device_read_at < d.device_read_at
                OR (f.device_read_at IS NOT NULL AND d.device_read_at IS NULL)
                OR array_position($7::text[], f.target) > array_position($7::text[], d.status))
         RETURNING d.id, d.status
       )
       SELECT a.ord, COALESCE(p.status, a.status) AS status
         FROM allowed a
         LEFT JOIN progressed p ON p.id = a.id`,
      [
        acks.map((_, i) => i),
        acks.map((a) => a.deliveryId),
        acks.map((a) => a.stage),
        acks.map((a) => a.residentId),
        acks.map((a) => a.at),
        acks.map((a) => a.deviceAt),
        DELIVERY_FORWARD_ORDER,
      ],
    );
    const results: DeliveryAckResult[] = acks.map(() => null);
    for (const row of rows) results[row.ord] = { status: row.status };
    return results;
  }
}
