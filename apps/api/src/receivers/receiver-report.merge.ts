import type { DeliveryReportRow, EndpointReportRow } from '@bousai/persistence';
import { reportKey } from '@bousai/persistence';

/** One thing a receiver told us, stamped with the server time it arrived. */
export type ReceiverReport =
  | { kind: 'delivered'; endpointId: string; deliveryId: string; at: Date; deviceAt: Date | null }
  | {
      kind: 'played';
      endpointId: string;
      deliveryId: string;
      at: Date;
      startedAt: Date;
      endedAt: Date | null;
      volume: number;
    }
  | {
      kind: 'seen';
      endpointId: string;
      at: Date;
      batteryPercent?: number;
      signalDbm?: number;
      firmware?: string;
    };

/**
 * Folds a group commit's reports into one row per delivery and one per endpoint, in arrival order: for a delivery
 * the first value of each field wins (repeats change nothing), except the device's time of receipt, which is the
 * earliest reported; for an endpoint the latest state wins. Every delivery report is also a proof of life.
 */
export function mergeReports(reports: readonly ReceiverReport[]): {
  deliveries: DeliveryReportRow[];
  endpoints: EndpointReportRow[];
} {
  const deliveries = new Map<string, DeliveryReportRow>();
  const endpoints = new Map<string, EndpointReportRow>();

  for (const r of reports) {
    const ep = endpoints.get(r.endpointId) ?? {
      endpointId: r.endpointId,
      seenAt: r.at,
      batteryPercent: null,
      signalDbm: null,
      firmware: null,
    };
    if (r.at > ep.seenAt) ep.seenAt = r.at;
    endpoints.set(r.endpointId, ep);
    if (r.kind === 'seen') {
      ep.batteryPercent = r.batteryPercent ?? ep.batteryPercent;
      ep.signalDbm = r.signalDbm ?? ep.signalDbm;
      ep.firmware = r.firmware ?? ep.firmware;
      continue;
    }

    const key = reportKey(r.endpointId, r.deliveryId);
    const row = deliveries.get(key) ?? {
      deliveryId: r.deliveryId,
      endpointId: r.endpointId,
      ackAt: null,
      deviceDeliveredAt: null,
      playedAt: null,
      devicePlayStartedAt: null,
      devicePlayEndedAt: null,
      playVolume: null,
    };
    deliveries.set(key, row);
    if (r.kind === 'delivered') {
      row.ackAt ??= r.at;
      // the earliest receipt the device reports is when the alert reached it (see ReceiverRepository)
      if (r.deviceAt && (row.deviceDeliveredAt === null || r.deviceAt < row.deviceDeliveredAt)) {
        row.deviceDeliveredAt = r.deviceAt;
      }
    } else if (row.playedAt === null) {
      row.playedAt = r.at;
      row.devicePlayStartedAt = r.startedAt;
      row.devicePlayEndedAt = r.endedAt;
      row.playVolume = r.volume;
    }
  }
  return { deliveries: [...deliveries.values()], endpoints: [...endpoints.values()] };
}
