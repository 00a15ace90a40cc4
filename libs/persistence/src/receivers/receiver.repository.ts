import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type AlertEvacuationMessage,
  Channel,
  DeliveryStatus,
  DELIVERY_FORWARD_ORDER,
  type EndpointStatus,
  STOPPED,
} from '@bousai/domain';

/** A receiver as its handshake needs it: the secret to check and the rooms to join. */
export interface ReceiverIdentity {
  endpointId: string;
  municipalityId: string;
  householdId: string | null;
  areaId: string | null;
  secretHash: string;
  status: EndpointStatus;
}

/**
 * What one receiver reported about one delivery, merged per delivery before it is written (an `UPDATE … FROM`
 * must not see the same row twice). Server times are when the api heard it; device times are the device's own.
 */
export interface DeliveryReportRow {
  deliveryId: string;
  endpointId: string;
  /** Server time of the first `delivered` report (an ack or an alert callback). */
  ackAt: Date | null;
  deviceDeliveredAt: Date | null;
  /** Server time of the first `played` report. */
  playedAt: Date | null;
  devicePlayStartedAt: Date | null;
  devicePlayEndedAt: Date | null;
  playVolume: number | null;
}

/** Proof of life and the device's state, merged per endpoint. */
export interface EndpointReportRow {
  endpointId: string;
  seenAt: Date;
  batteryPercent: number | null;
  signalDbm: number | null;
  firmware: string | null;
}

/** A delivery a receiver has not acknowledged yet, with what its payload is built from. */
export interface PendingReceiverDelivery {
  deliveryId: string;
  alertId: string;
  severity: string;
  isDrill: boolean;
  safetyRequest: boolean;
  texts: Record<string, { title: string; body: string }>;
  language: string | null;
  expiresAt: Date | null;
  cancelsAlertId: string | null;
  evacuationMessage: AlertEvacuationMessage | null;
}

/**
 * Delivery statuses only move forward along this order; a status outside it (failed, expired, cancelled) is final
 * and no report overwrites it. A late or repeated report still fills a time that is missing (an ack that arrives
 * after `played` records when the alert arrived) but never changes one already recorded, with one exception: the
 * device's time of receipt is the earliest reported. A receiver that heard an alert, lost its connection before
 * confirming it and then got it again by store-and-forward reports both receipts, in either order; the first one
 * is when the alert reached it.
 */
const FORWARD_ORDER = DELIVERY_FORWARD_ORDER;

/** Deliveries a reconnecting receiver is still owed. */
const UNDELIVERED: readonly DeliveryStatus[] = [
  DeliveryStatus.Queued,
  DeliveryStatus.Waiting,
  DeliveryStatus.Sent,
];

const ALERT_STOPPED = STOPPED;

/** Identifies a report of one endpoint about one delivery (the same id from another endpoint is another report). */
export function reportKey(endpointId: string, deliveryId: string): string {
  return `${endpointId}/${deliveryId}`;
}

function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '40P01' || code === '40001';
}

@Injectable()
export class ReceiverRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The receiver with this serial, whatever its status (the caller checks the secret before it tells why not). */
  async findBySerial(serial: string): Promise<ReceiverIdentity | null> {
    const rows = await this.dataSource.query<ReceiverIdentity[]>(
      `SELECT e.id AS "endpointId", e.municipality_id AS "municipalityId", e.household_id AS "householdId",
              h.area_id AS "areaId", e.secret_hash AS "secretHash", e.status
         FROM endpoint e
         LEFT JOIN household h ON h.id = e.household_id
        WHERE e.channel = $1 AND e.address = $2`,
      [Channel.Receiver, serial],
    );
    return rows[0] ?? null;
  }

  /**
   * Writes one group commit of receiver reports in one statement: delivery progress (forward only, see
   * FORWARD_ORDER) and endpoint proof of life. A report only touches a delivery of the endpoint that sent it.
   * Returns the `reportKey`s of the `deliveries` that exist for their endpoint, so the caller can tell a device
   * that an id is not its own; repeats of reports already recorded count as known and change nothing. A deadlock
   * with another bulk writer of the same rows is retried.
   */
  async applyReports(
    deliveries: readonly DeliveryReportRow[],
    endpoints: readonly EndpointReportRow[],
  ): Promise<Set<string>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(deliveries, endpoints);
      } catch (err) {
        if (attempt >= 3 || !isDeadlock(err)) throw err;
      }
    }
  }

  private async applyOnce(
    deliveries: readonly DeliveryReportRow[],
    endpoints: readonly EndpointReportRow[],
  ): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ id: string; endpointId: string }[]>(
      `WITH r AS (
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[],
                              $6::timestamptz[], $7::timestamptz[], $8::smallint[])
           AS r(id, endpoint_id, ack_at, device_delivered_at, played_at, play_started_at, play_ended_at, volume)
       ),
       progressed AS (
         UPDATE delivery d SET
           status = CASE
             WHEN array_position($9::text[], CASE WHEN r.played_at IS NOT NULL THEN 'played' ELSE 'delivered' END)
                  > array_position($9::text[], d.status)
             THEN CASE WHEN r.played_at IS NOT NULL THEN 'played' ELSE 'delivered' END
             ELSE d.status END,
           delivered_at = COALESCE(d.delivered_at, r.ack_at, r.played_at),
           device_delivered_at = LEAST(d.device_delivered_at, r.device_delivered_at),
           played_at = COALESCE(d.played_at, r.played_at),
           device_play_started_at = COALESCE(d.device_play_started_at, r.play_started_at),
           device_play_ended_at = COALESCE(d.device_play_ended_at, r.play_ended_at),
           play_volume = COALESCE(d.play_volume, r.volume)
         FROM r
         WHERE d.id = r.id AND d.endpoint_id = r.endpoint_id AND d.channel = $10
           AND array_position($9::text[], d.status) IS NOT NULL
           AND (   (r.played_at IS NOT NULL AND d.played_at IS NULL)
                OR (r.ack_at IS NOT NULL AND d.delivered_at IS NULL)
                OR r.device_delivered_at < d.device_delivered_at
                OR (r.device_delivered_at IS NOT NULL AND d.device_delivered_at IS NULL)
                OR array_position($9::text[], d.status) < array_position($9::text[], 'delivered'))
         RETURNING d.id
       ),
       seen AS (
         UPDATE endpoint e SET
           last_seen_at = GREATEST(e.last_seen_at, s.seen_at),
           battery_percent = COALESCE(s.battery, e.battery_percent),
           signal_dbm = COALESCE(s.signal, e.signal_dbm),
           firmware = COALESCE(s.firmware, e.firmware)
         FROM unnest($11::uuid[], $12::timestamptz[], $13::smallint[], $14::smallint[], $15::text[])
           AS s(id, seen_at, battery, signal, firmware)
         WHERE e.id = s.id
         RETURNING e.id
       )
       SELECT r.id::text AS id, r.endpoint_id AS "endpointId"
         FROM r JOIN delivery d ON d.id = r.id AND d.endpoint_id = r.endpoint_id AND d.channel = $10`,
      [
        deliveries.map((d) => d.deliveryId),
        deliveries.map((d) => d.endpointId),
        deliveries.map((d) => d.ackAt),
        deliveries.map((d) => d.deviceDeliveredAt),
        deliveries.map((d) => d.playedAt),
        deliveries.map((d) => d.devicePlayStartedAt),
        deliveries.map((d) => d.devicePlayEndedAt),
        deliveries.map((d) => d.playVolume),
        FORWARD_ORDER,
        Channel.Receiver,
        endpoints.map((e) => e.endpointId),
        endpoints.map((e) => e.seenAt),
        endpoints.map((e) => e.batteryPercent),
        endpoints.map((e) => e.signalDbm),
        endpoints.map((e) => e.firmware),
      ],
    );
    return new Set(rows.map((r) => reportKey(r.endpointId, r.id)));
  }

  /**
   * Store-and-forward: the receiver's deliveries not yet acknowledged, of alerts still live (not cancelled,
   * superseded or closed, not expired), oldest first so a later correction arrives after what it corrects.
   */
  pendingDeliveries(endpointId: string, limit: number): Promise<PendingReceiverDelivery[]> {
    return this.dataSource.query<PendingReceiverDelivery[]>(
      `SELECT d.id::text AS "deliveryId", a.id AS "alertId", a.severity, a.is_drill AS "isDrill",
              a.safety_request AS "safetyRequest", a.texts, d.language, a.expires_at AS "expiresAt",
              a.cancels_alert_id AS "cancelsAlertId", a.evacuation_message AS "evacuationMessage"
         FROM delivery d
         JOIN alert a ON a.id = d.alert_id
        WHERE d.endpoint_id = $1 AND d.channel = $2 AND d.status = ANY($3::text[])
          AND a.status <> ALL($4::text[])
          AND (a.expires_at IS NULL OR a.expires_at > now())
        ORDER BY d.id
        LIMIT $5`,
      [endpointId, Channel.Receiver, UNDELIVERED, ALERT_STOPPED, limit],
    );
  }
}
