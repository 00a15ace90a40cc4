import type { AndroidConfig, ApnsConfig, TokenMessage } from 'firebase-admin/messaging';
import { FCM_BODY_MAX_BYTES, fitUtf8, renderAlertText, type RenderedText, Severity } from '@bousai/domain';
import type { OutgoingMessage } from '../channel-adapter';

/** The Android notification channel the resident app creates for alerts (importance high, alarm sound). */
export const FCM_ANDROID_CHANNEL_ID = 'bousai_emergency';

/**
 * Critical alerts break through mute and Focus on iOS (an entitlement Apple grants to public-alert apps);
 * they are kept for real, severe alerts. Drills, cancellation notices and lesser alerts are time-sensitive:
 * they still break through Focus, but respect the mute switch.
 */
function interruptionLevel(message: OutgoingMessage): 'critical' | 'time-sensitive' {
  const severe =
    message.severity === (Severity.Extreme as string) || message.severity === (Severity.Severe as string);
  return severe && !message.isDrill && !message.cancelsAlertId ? 'critical' : 'time-sensitive';
}

/** The text a target sees: the best language the alert has for them, drill-marked for a drill (libs/domain). */
export function pickText(message: OutgoingMessage, language: string): RenderedText {
  return renderAlertText(message.texts, language, { isDrill: message.isDrill });
}

/**
 * What the app needs to acknowledge this one delivery (`POST /v1/acks` with its resident credential, or
 * `POST /v1/acks/signed` with `ackToken` when it has none at hand, e.g. woken in the background before unlock).
 */
export interface PerDeliveryData {
  deliveryId: string;
  /** Signed, expiring, for this delivery only (libs/domain `signDeliveryAckToken`); absent when not configured. */
  ackToken?: string;
}

function perDeliveryData(d: PerDeliveryData): Record<string, string> {
  return d.ackToken === undefined
    ? { deliveryId: d.deliveryId }
    : { deliveryId: d.deliveryId, ackToken: d.ackToken };
}

/**
 * The FCM message for one registration token, in firebase-admin's `Message` shape. Everything the app needs is
 * in `data` (the app renders its own full-screen alert from it), and `notification` makes the OS show it even
 * when the app is not running. Both platforms get their highest delivery priority and an expiry equal to the
 * alert's, so a phone that comes back online after the alert is over is not woken for it.
 */
export function buildFcmMessage(
  token: string,
  message: OutgoingMessage,
  language: string,
  now: number,
  delivery?: PerDeliveryData,
): TokenMessage {
  const picked = pickText(message, language);
  // FCM refuses a message over 4 KB, and the body travels three times (data, notification, APNs alert)
  const text = { ...picked, body: fitUtf8(picked.body, FCM_BODY_MAX_BYTES) };
  const ttlMs = Math.max(0, message.expiresAt - now);
  const critical = interruptionLevel(message) === 'critical';
  const data: Record<string, string> = {
    ...(delivery ? perDeliveryData(delivery) : {}),
    alertId: message.alertId,
    severity: message.severity,
    isDrill: String(message.isDrill),
    safetyRequest: String(message.safetyRequest),
    language: text.language,
    title: text.title,
    body: text.body,
    expiresAt: String(message.expiresAt),
  };
  if (message.cancelsAlertId) data.cancelsAlertId = message.cancelsAlertId;

  const android: AndroidConfig = {
    // FCM: "high" wakes a dozing device immediately; meant for time-critical, user-visible messages
    priority: 'high',
    ttl: ttlMs,
    notification: {
      channelId: FCM_ANDROID_CHANNEL_ID,
      // a resend of the same alert (a retry after a crash) replaces the notification instead of stacking
      tag: message.alertId,
      priority: 'max',
      visibility: 'public',
      defaultSound: true,
    },
  };
  const apns: ApnsConfig = {
    headers: {
      // APNs: 10 = deliver immediately; alert push type is required for a visible notification (iOS 13+)
      'apns-priority': '10',
      'apns-push-type': 'alert',
      // seconds since the epoch; APNs discards the notification after it
      'apns-expiration': String(Math.floor(message.expiresAt / 1_000)),
      'apns-collapse-id': message.alertId,
    },
    payload: {
      aps: {
        alert: { title: text.title, body: text.body },
        sound: critical ? { critical: true, name: 'default', volume: 1 } : 'default',
        'interruption-level': critical ? 'critical' : 'time-sensitive',
      },
    },
  };
  return { token, data, notification: { title: text.title, body: text.body }, android, apns };
}

/**
 * The FCM HTTP v1 wire form (`projects.messages` resource, snake_case) of a message built by `buildFcmMessage`.
 * firebase-admin does this inside `send()` but does not export it; this covers exactly the fields the builder
 * sets, and a test sends the same message through firebase-admin's `sendEach` to prove the bodies are equal.
 */
export function toFcmV1Message(message: TokenMessage): Record<string, unknown> {
  const { android, apns, ...rest } = message;
  const wire: Record<string, unknown> = { ...rest };
  if (android) {
    const { ttl, notification, collapseKey, ...a } = android;
    const out: Record<string, unknown> = { ...a };
    if (ttl !== undefined) out.ttl = durationString(ttl);
    if (collapseKey !== undefined) out.collapse_key = collapseKey;
    if (notification) {
      const { channelId, defaultSound, priority, visibility, ...n } = notification;
      const wn: Record<string, unknown> = { ...n };
      if (channelId !== undefined) wn.channel_id = channelId;
      if (defaultSound !== undefined) wn.default_sound = defaultSound;
      if (priority !== undefined) wn.notification_priority = `PRIORITY_${priority.toUpperCase()}`;
      if (visibility !== undefined) wn.visibility = visibility.toUpperCase();
      out.notification = wn;
    }
    wire.android = out;
  }
  if (apns) {
    const sound: unknown = apns.payload?.aps.sound;
    wire.apns =
      typeof sound === 'object' && sound !== null && (sound as { critical?: boolean }).critical === true
        ? {
            ...apns,
            payload: { ...apns.payload, aps: { ...apns.payload?.aps, sound: { ...sound, critical: 1 } } },
          }
        : apns;
  }
  return wire;
}

/** google.protobuf.Duration in JSON: seconds with up to nine fractional digits and an "s". */
function durationString(ms: number): string {
  const seconds = Math.floor(ms / 1_000);
  const nanos = Math.floor((ms - seconds * 1_000) * 1_000_000);
  return nanos > 0 ? `${seconds}.${String(nanos).padStart(9, '0')}s` : `${seconds}s`;
}

/**
 * Serialised request bodies for one alert: the part after the token is the same for every target of a
 * language, so it is built and stringified once per language per batch and only the token is spliced in.
 */
export class FcmRequestBodies {
  private readonly tails = new Map<string, string>();

  /** `ackToken` signs a delivery's ack token; without it the messages carry none. */
  constructor(
    private readonly message: OutgoingMessage,
    private readonly now: number,
    private readonly ackToken?: (deliveryId: string) => string,
  ) {}

  /** The body for one target; with `deliveryId`, `data` leads with the per-delivery fields (`PerDeliveryData`). */
  body(token: string, language: string, deliveryId?: string): string {
    let tail = this.tails.get(language);
    if (tail === undefined) {
      const { token: _omit, ...wire } = toFcmV1Message(buildFcmMessage('', this.message, language, this.now));
      tail = JSON.stringify(wire).slice(1);
      // `data` is the first field after the token and never empty: per-delivery fields are spliced in at its start
      if (!tail.startsWith(DATA_OPEN)) throw new Error('FCM message without data');
      this.tails.set(language, tail);
    }
    const head = `{"message":{"token":${JSON.stringify(token)}`;
    if (deliveryId === undefined) return `${head},${tail}}`;
    const own = JSON.stringify(perDeliveryData({ deliveryId, ackToken: this.ackToken?.(deliveryId) }));
    return `${head},${DATA_OPEN}${own.slice(1, -1)},${tail.slice(DATA_OPEN.length)}}`;
  }
}

const DATA_OPEN = '"data":{';
