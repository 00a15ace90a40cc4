import { type AlertEvacuationMessage, type Channel, ValidationError } from '@bousai/domain';

/** One recipient of a batch, as the planner stored it (ids only travel through the queue; this comes from SQL). */
export interface DeliveryTarget {
  deliveryId: string;
  endpointId: string;
  /** FCM token, push endpoint URL, email address, LINE user id or receiver serial. */
  address: string;
  /** Web Push keys, when the channel needs them. */
  subscription?: Record<string, unknown> | null;
  language: string;
  /** The resident the endpoint belongs to (null for household endpoints such as receivers). */
  residentId?: string | null;
  /** The resident's answer to the alert's safety request so far (a correction carries it over), if any. */
  safetyStatus?: string | null;
  /** A visitor subscription (not on the roster): it is never asked for a safety answer. */
  visitor?: boolean;
}

/** The rendered alert, per language, with what every channel needs to build its payload. */
export interface OutgoingMessage {
  alertId: string;
  severity: string;
  isDrill: boolean;
  safetyRequest: boolean;
  /** `{ [language]: { title, body } }`; adapters pick the target's language or fall back to `ja`. */
  texts: Record<string, { title: string; body: string }>;
  /** Unix ms after which the message is pointless (TTL for push services). */
  expiresAt: number;
  /** A cancellation notice for an alert already delivered (same audience, `cancelsAlertId`). */
  cancelsAlertId?: string;
  /** Set on the alert of an evacuation order step: its message kind and level (receivers' lead-in). */
  evacuationMessage?: AlertEvacuationMessage | null;
}

export type DeliveryOutcome =
  /** Accepted by the provider (FCM/Web Push/SMTP/LINE). */
  | { deliveryId: string; kind: 'sent'; providerMessageId?: string }
  /** Confirmed by the device itself (receivers ack over socket.io). */
  | { deliveryId: string; kind: 'delivered'; at: number }
  /** Permanent: the endpoint is dead (FCM UNREGISTERED/INVALID_ARGUMENT, Web Push 404/410, SMTP 5xx). */
  | { deliveryId: string; kind: 'failed'; errorCode: string; endpointDead: boolean }
  /** Transient (429, 5xx, timeout, connection loss): retry this one later, not before `retryAfterMs`. */
  | { deliveryId: string; kind: 'retry'; errorCode: string; retryAfterMs?: number };

/** One adapter per channel; `send` never throws for per-recipient failures, it reports them as outcomes. */
export interface ChannelAdapter {
  readonly channel: Channel;
  send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]>;
}

/**
 * The checks every sender makes before sending a batch: an expired alert fails every target without blaming the
 * endpoints (a provider would accept it and the device drop it; not sending says the same honestly); a message
 * without any text is the caller's bug for the whole batch, not a per-target failure. Resolves to the outcomes
 * when the batch must not be sent, undefined when it may.
 */
export function refuseUnsendable(
  targets: readonly DeliveryTarget[],
  message: OutgoingMessage,
  now: number,
): DeliveryOutcome[] | undefined {
  if (message.expiresAt <= now) {
    return targets.map((t) => ({
      deliveryId: t.deliveryId,
      kind: 'failed',
      errorCode: 'EXPIRED',
      endpointDead: false,
    }));
  }
  if (Object.keys(message.texts).length === 0)
    throw new ValidationError(`alert ${message.alertId} has no text`);
  return undefined;
}
