import { DeliveryStatus } from '@bousai/domain';
import type { AlertCounters } from '@bousai/persistence';

export interface LiveView {
  alertId: string;
  status: string;
  isDrill: boolean;
  /** `{ [channel]: { [status]: n } }`; statuses with no delivery are left out. */
  byChannel: Record<string, Record<string, number>>;
  /** Every channel together; every status present, 0 when none. */
  totals: Record<DeliveryStatus | 'planned', number>;
  /** Safety confirmation per group (`needs_assistance`, `staff`, `everyone`): asked, answered, by answer. */
  safety: Record<string, { asked: number; answered: number; rate: number; byAnswer: Record<string, number> }>;
  rates: {
    /** Accepted by a provider or confirmed by a device, of everything planned. */
    reached: number;
    /** Confirmed by the device itself (delivered, played, read). */
    confirmed: number;
    failed: number;
    /** Never sent: no running fanout sends on their channel. Counted in `planned`, never as reached. */
    undeliverable: number;
  };
}

const REACHED: readonly DeliveryStatus[] = [
  DeliveryStatus.Sent,
  DeliveryStatus.Delivered,
  DeliveryStatus.Played,
  DeliveryStatus.Read,
];
const CONFIRMED: readonly DeliveryStatus[] = [
  DeliveryStatus.Delivered,
  DeliveryStatus.Played,
  DeliveryStatus.Read,
];

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/** The live view of an alert from its counters: totals and rates are derived, never counted again. */
export function liveView(counters: AlertCounters): LiveView {
  const totals = Object.fromEntries(
    [...Object.values(DeliveryStatus), 'planned'].map((s) => [s, 0]),
  ) as LiveView['totals'];
  for (const statuses of Object.values(counters.byChannel)) {
    for (const [status, n] of Object.entries(statuses)) {
      if (status in totals) totals[status as DeliveryStatus] += n;
      totals.planned += n;
    }
  }
  const sum = (of: readonly DeliveryStatus[]) => of.reduce((s, k) => s + totals[k], 0);
  const safety: LiveView['safety'] = {};
  for (const [group, counts] of Object.entries(counters.bySafety)) {
    const asked = Object.values(counts).reduce((s, n) => s + n, 0);
    const { unanswered = 0, ...byAnswer } = counts;
    safety[group] = { asked, answered: asked - unanswered, rate: ratio(asked - unanswered, asked), byAnswer };
  }
  return {
    alertId: counters.alertId,
    status: counters.status,
    isDrill: counters.isDrill,
    byChannel: counters.byChannel,
    totals,
    safety,
    rates: {
      reached: ratio(sum(REACHED), totals.planned),
      confirmed: ratio(sum(CONFIRMED), totals.planned),
      failed: ratio(totals.failed, totals.planned),
      undeliverable: ratio(totals.undeliverable, totals.planned),
    },
  };
}
