import { z } from 'zod';
import {
  alertReceiverAnnouncement,
  type AlertEvacuationMessage,
  renderAlertText,
  type ReceiverPriority,
  SafetyStatus,
} from '@bousai/domain';

/**
 * The wire protocol of household receivers (専用戸別受信機), shared by the api's gateway, the fanout's sender and the
 * device simulator. `docs/receiver-protocol.md` is its description for device makers: change both together.
 */
export const RECEIVER_NAMESPACE = '/receivers';

export const ReceiverEvent = {
  /** server → device, with an acknowledgement callback the device answers with `AlertReceipt`. */
  Alert: 'alert',
  /** device → server: an alert arrived (sent later, with its original time, when the callback could not be). */
  Ack: 'ack',
  /** device → server: the alert sounded (鳴動確認). */
  Played: 'played',
  /** device → server: several `ack` and `played` reports in one event (an outbox flushed after reconnecting). */
  Reports: 'reports',
  /** device → server: battery, signal and firmware. */
  Heartbeat: 'heartbeat',
  /** device → server: the safety button (安否確認) was pressed for an alert that asked for it. */
  Safety: 'safety',
} as const;

/** Rooms a connected receiver joins; other processes reach it through the Redis adapter by these names. */
export const receiverRooms = {
  endpoint: (endpointId: string) => `rx:${endpointId}`,
  household: (householdId: string) => `hh:${householdId}`,
  area: (areaId: string) => `area:${areaId}`,
  municipality: (municipalityId: string) => `mun:${municipalityId}`,
};

/** Redis channel prefix of the socket.io adapter: every process of one deployment must use the same. */
export function receiverAdapterKey(queuePrefix: string): string {
  return `${queuePrefix}:socket.io`;
}

/** Codes a device sees in `connect_error.data.code` or in `{ ok: false, error: { code } }` replies. */
export enum ReceiverErrorCode {
  /** The handshake carried no `auth: { serial, secret }`. */
  AuthRequired = 'AUTH_REQUIRED',
  /** Unknown serial or wrong secret (deliberately not told apart). */
  InvalidCredentials = 'INVALID_CREDENTIALS',
  /** The municipality disabled this receiver; reconnecting will not help until it is re-enabled. */
  ReceiverDisabled = 'RECEIVER_DISABLED',
  /** Receivers must connect with the websocket transport (no HTTP long-polling). */
  WebsocketRequired = 'WEBSOCKET_REQUIRED',
  /** A server-side dependency is down; retry with backoff. */
  Unavailable = 'UNAVAILABLE',
  /** The event's payload does not match the protocol; resending it unchanged will not help. */
  ValidationFailed = 'VALIDATION_FAILED',
  /** The delivery id is not one of this receiver's deliveries; drop the report. */
  UnknownDelivery = 'UNKNOWN_DELIVERY',
  /** A safety answer for an alert that did not ask anyone of this household; drop it. */
  NotAsked = 'NOT_ASKED',
  /** Too many of this connection's reports are still waiting for answers; keep it and send it again later. */
  RateLimited = 'RATE_LIMITED',
}

/** What the device receives with `alert`. Times are ISO 8601 UTC. */
export interface ReceiverAlert {
  deliveryId: string;
  alertId: string;
  severity: string;
  isDrill: boolean;
  safetyRequest: boolean;
  /** The language of `title`/`body`: the receiver's own, or `ja` when the alert has no text in it. */
  language: string;
  title: string;
  body: string;
  /** After this the alert is pointless (do not sound it); null when the alert has no expiry. */
  expiresAt: string | null;
  /** Present on a cancellation notice: the alert it withdraws. */
  cancelsAlertId?: string;
  /** How to play it (§3.1): evacuation orders by their level and kind, other alerts by severity. */
  priority: ReceiverPriority;
  /** Said before the title, in `language`, `leadInRepeat` times; null when the alert has none. */
  leadIn: string | null;
  /** 2 for a Level 4 or 5 order's lead-in, else 1. */
  leadInRepeat: number;
}

export type ReceiverReply =
  { ok: true } | { ok: false; error: { code: ReceiverErrorCode; message: string; details: unknown } };

/** A failure reply; `details` is always present (null when there is nothing to add), like the api's error bodies. */
export function receiverFailure(
  code: ReceiverErrorCode,
  message: string,
  details: unknown = null,
): ReceiverReply {
  return { ok: false, error: { code, message, details } };
}

/** The answer to `reports`: one reply per report, in the order sent (or one failure for the whole event). */
export type ReceiverReportsReply =
  { ok: true; results: ReceiverReply[] } | Extract<ReceiverReply, { ok: false }>;

/** Most reports one `reports` event may carry. */
export const MAX_REPORTS_PER_EVENT = 500;

/** Device times: ISO 8601 with an offset, or Unix milliseconds. Kept beside the server's own times. */
const deviceTime = z
  .union([
    z.iso.datetime({ offset: true }),
    z.number().int().min(0).max(8_640_000_000_000), // the largest Date
  ])
  .transform((v) => new Date(v));

/** Delivery ids are Postgres bigints; devices may echo them as strings (as sent) or as numbers. */
const deliveryId = z
  .union([z.string().regex(/^[1-9]\d{0,18}$/), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
  .transform((v) => String(v));

export const handshakeAuthSchema = z.object({
  serial: z.string().regex(/^[A-Za-z0-9-]{4,40}$/),
  secret: z.string().min(1).max(200),
});

/** The device's answer to an `alert` callback. Lenient: a missing or bad time is replaced by the server's. */
export const alertReceiptSchema = z.object({ receivedAt: deviceTime });

export const ackSchema = z.object({ deliveryId, receivedAt: deviceTime });

export const playedSchema = z.object({
  deliveryId,
  startedAt: deviceTime,
  endedAt: deviceTime.optional(),
  /** Speaker volume during playback, 0–100 (percent of the device's maximum). */
  volume: z.number().int().min(0).max(100),
});

/** One entry of a `reports` event: an `ack` or a `played` report with its `type`. */
export const batchedReportSchema = z.discriminatedUnion('type', [
  ackSchema.extend({ type: z.literal('ack') }),
  playedSchema.extend({ type: z.literal('played') }),
]);

/** The envelope of a `reports` event; each entry is checked on its own (one bad entry spoils only itself). */
export const reportsEnvelopeSchema = z.object({
  reports: z.array(z.unknown()).min(1).max(MAX_REPORTS_PER_EVENT),
});

export const heartbeatSchema = z.object({
  battery: z.number().int().min(0).max(100).optional(),
  /** Received signal strength in dBm (LTE RSRP, Wi-Fi RSSI or the municipal radio's own). */
  signal: z.number().int().min(-200).max(0).optional(),
  firmware: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
});

/** The safety button: which alert, which answer (a receiver's button offers `safe` and `need_help` at least). */
export const safetySchema = z.object({
  alertId: z.uuid(),
  answer: z.enum(SafetyStatus),
  pressedAt: deviceTime.optional(),
});

export type AckReport = z.infer<typeof ackSchema>;
export type SafetyReport = z.infer<typeof safetySchema>;
export type PlayedReport = z.infer<typeof playedSchema>;
export type BatchedReport = z.infer<typeof batchedReportSchema>;
export type HeartbeatReport = z.infer<typeof heartbeatSchema>;

/** The fields of an alert a receiver payload is built from (an `OutgoingMessage` is one). */
export interface ReceiverAlertSource {
  alertId: string;
  severity: string;
  isDrill: boolean;
  safetyRequest: boolean;
  texts: Record<string, { title: string; body: string }>;
  /** Unix ms, or null for no expiry. */
  expiresAt: number | null;
  cancelsAlertId?: string;
  /** Set on the alert of an evacuation order step (its lead-in and priority). */
  evacuationMessage?: AlertEvacuationMessage | null;
}

/** The alert in the receiver's language or the best fallback, drill-marked for a drill (libs/domain). */
export function receiverAlert(
  target: { deliveryId: string; language: string | null },
  source: ReceiverAlertSource,
): ReceiverAlert {
  const text = renderAlertText(source.texts, target.language ?? 'ja', { isDrill: source.isDrill });
  return {
    deliveryId: target.deliveryId,
    alertId: source.alertId,
    severity: source.severity,
    isDrill: source.isDrill,
    safetyRequest: source.safetyRequest,
    language: text.language,
    title: text.title,
    body: text.body,
    expiresAt: source.expiresAt === null ? null : new Date(source.expiresAt).toISOString(),
    ...(source.cancelsAlertId ? { cancelsAlertId: source.cancelsAlertId } : {}),
    ...alertReceiverAnnouncement(source, text.language),
  };
}

/** The device's time of receipt from its answer to an `alert` callback, or null when it sent none we can read. */
export function receiptDeviceTime(answer: unknown): Date | null {
  const parsed = alertReceiptSchema.safeParse(answer);
  return parsed.success ? parsed.data.receivedAt : null;
}
