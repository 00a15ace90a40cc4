import type { DeliveryOutcome } from '@bousai/channels';
import { Channel, DeliveryStatus, DomainError, ErrorCode } from '@bousai/domain';
import type { ClaimedDelivery, DeliveryOutcomeRow } from '@bousai/persistence';

/** A subset of the batch to send again, all at the same attempt count. */
export interface RetrySubset {
  /** Attempts the rows have had; the follow-up job is the one for this attempt count. */
  attempts: number;
  rows: number;
  /** The largest `Retry-After` a provider asked for among them. */
  retryAfterMs?: number;
}

export interface BatchOutcomes {
  rows: DeliveryOutcomeRow[];
  retries: RetrySubset[];
  tally: Record<'sent' | 'delivered' | 'failed' | 'retry' | 'exhausted', number>;
}

/** Recorded for a target the adapter gave no outcome for: it may or may not have gone out, so it is retried. */
export const NO_OUTCOME = 'NO_OUTCOME';
/** Recorded for a row whose endpoint died between planning and sending (nothing was sent). */
export const ENDPOINT_DEAD = 'ENDPOINT_DEAD';

/**
 * What a transient failure becomes after the last attempt. Receivers have store-and-forward: the api hands a
 * reconnecting receiver every unacknowledged delivery of a live alert, so a receiver that stayed offline is
 * recorded `waiting` (parked for its reconnect, with the retry code kept) rather than `failed` — and not `sent`:
 * nothing reached it, and the live view and reports must not count it as reached until the device acknowledges.
 * Every other channel gives up: `failed` with the provider's last code.
 */
export function exhaustedStatus(channel: Channel): DeliveryStatus {
  return channel === Channel.Receiver ? DeliveryStatus.Waiting : DeliveryStatus.Failed;
}

/**
 * The adapter threw for the whole batch instead of reporting per target. A validation error (e.g. an alert
 * without text) will not get better by retrying; anything else is treated as transient.
 */
export function outcomesForThrow(
  targets: readonly { deliveryId: string }[],
  err: unknown,
): DeliveryOutcome[] {
  if (err instanceof DomainError && err.code === ErrorCode.ValidationFailed) {
    return targets.map((t) => ({
      deliveryId: t.deliveryId,
      kind: 'failed',
      errorCode: err.code,
      endpointDead: false,
    }));
  }
  const errorCode = err instanceof DomainError ? err.code : 'ADAPTER_ERROR';
  return targets.map((t) => ({ deliveryId: t.deliveryId, kind: 'retry', errorCode }));
}

/**
 * Turns a batch's outcomes into the rows to write and the subsets to retry. Claimed rows without an outcome are
 * retried; outcomes for ids that were not claimed are ignored. A retry on a row that has had `maxAttempts`
 * becomes final ({@link exhaustedStatus}).
 */
export function batchOutcomes(
  channel: Channel,
  claimed: readonly ClaimedDelivery[],
  outcomes: readonly DeliveryOutcome[],
  maxAttempts: number,
): BatchOutcomes {
  const byId = new Map(outcomes.map((o) => [o.deliveryId, o]));
  const tally = { sent: 0, delivered: 0, failed: 0, retry: 0, exhausted: 0 };
  const retries = new Map<number, RetrySubset>();
  const rows: DeliveryOutcomeRow[] = [];
  const row = (d: ClaimedDelivery, r: Partial<DeliveryOutcomeRow> & { status: DeliveryStatus }) =>
    rows.push({
      deliveryId: d.deliveryId,
      errorCode: null,
      providerMessageId: null,
      deviceDeliveredAt: null,
      endpointDead: false,
      attempts: d.attempts,
      ...r,
    });

  for (const d of claimed) {
    if (!d.endpointActive) {
      tally.failed++;
      row(d, { status: DeliveryStatus.Failed, errorCode: ENDPOINT_DEAD });
      continue;
    }
    const o: DeliveryOutcome = byId.get(d.deliveryId) ?? {
      deliveryId: d.deliveryId,
      kind: 'retry',
      errorCode: NO_OUTCOME,
    };
    switch (o.kind) {
      case 'sent':
        tally.sent++;
        row(d, { status: DeliveryStatus.Sent, providerMessageId: o.providerMessageId ?? null });
        break;
      case 'delivered':
        tally.delivered++;
        row(d, { status: DeliveryStatus.Delivered, deviceDeliveredAt: new Date(o.at) });
        break;
      case 'failed':
        tally.failed++;
        row(d, { status: DeliveryStatus.Failed, errorCode: o.errorCode, endpointDead: o.endpointDead });
        break;
      case 'retry': {
        if (d.attempts >= maxAttempts) {
          tally.exhausted++;
          row(d, { status: exhaustedStatus(channel), errorCode: o.errorCode });
          break;
        }
        tally.retry++;
        row(d, { status: DeliveryStatus.Queued, errorCode: o.errorCode });
        const subset = retries.get(d.attempts) ?? { attempts: d.attempts, rows: 0 };
        subset.rows++;
        if (o.retryAfterMs !== undefined) {
          subset.retryAfterMs = Math.max(subset.retryAfterMs ?? 0, o.retryAfterMs);
        }
        retries.set(d.attempts, subset);
        break;
      }
    }
  }
  return { rows, retries: [...retries.values()], tally };
}
