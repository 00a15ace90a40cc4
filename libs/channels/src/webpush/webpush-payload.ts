import { isDeliveryId, renderAlertText, signDeliveryAckToken } from '@bousai/domain';
import type { OutgoingMessage } from '../channel-adapter';
import { MAX_PUSH_PLAINTEXT } from './push-encryption';

/**
 * What the service worker receives (decrypted) in its `push` event: docs/web-push.md is the contract. Version 1;
 * a field is only ever added.
 */
export interface WebPushPayload {
  v: 1;
  alertId: string;
  deliveryId: string;
  title: string;
  body: string;
  severity: string;
  isDrill: boolean;
  safetyRequest: boolean;
  /** Present on a cancellation notice: the alert it withdraws (the worker closes that notification). */
  cancelsAlertId?: string;
  /** The api's signed-ack endpoint (`WEBPUSH_ACK_URL`): POST `{ token: ackToken, stage, deviceAt }` there. */
  ackUrl?: string;
  /** Per-delivery, signed, expiring credential for that POST (when `ACK_TOKEN_SECRET` is set). */
  ackToken?: string;
  /** Unix ms after which the alert is stale: the worker shows a late push quietly. */
  expiresAt: number;
}

const ELLIPSIS = '…';

/**
 * Renders per target (each carries its own delivery id): the text in the target's best language, and a
 * body shortened on a character boundary if the whole would not fit in one push message. The title is never cut:
 * it is what a locked screen shows.
 */
export interface WebPushAckSettings {
  /** `WEBPUSH_ACK_URL`. */
  url?: string;
  /** `ACK_TOKEN_SECRET`: without it no token is made (and the service worker cannot acknowledge). */
  secret?: string;
  /** Unix ms until which the tokens of this send are accepted (`ACK_TOKEN_TTL_SECONDS` from now). */
  tokenExpiresAt: number;
}

export class WebPushPayloads {
  constructor(
    private readonly message: OutgoingMessage,
    private readonly ack?: WebPushAckSettings,
  ) {}

  /** `visitor`: a visitor subscription, not on the roster, is never asked for a safety answer. */
  render(deliveryId: string, language: string, visitor = false): string {
    const m = this.message;
    // the shared rendering: the reader's best language, and a drill always marked as one
    const text = renderAlertText(m.texts, language, { isDrill: m.isDrill });
    const payload: WebPushPayload = {
      v: 1,
      alertId: m.alertId,
      deliveryId,
      title: text.title,
      body: text.body,
      severity: m.severity,
      isDrill: m.isDrill,
      safetyRequest: m.safetyRequest && !visitor,
      ...(m.cancelsAlertId ? { cancelsAlertId: m.cancelsAlertId } : {}),
      ...(this.ack?.url ? { ackUrl: this.ack.url } : {}),
      // delivery ids are bigint identities; anything else (a test's own id) simply gets no token
      ...(this.ack?.secret && isDeliveryId(deliveryId)
        ? {
            ackToken: signDeliveryAckToken(
              { deliveryId, expiresAt: this.ack.tokenExpiresAt },
              this.ack.secret,
            ),
          }
        : {}),
      expiresAt: m.expiresAt,
    };
    const json = JSON.stringify(payload);
    const size = Buffer.byteLength(json);
    if (size <= MAX_PUSH_PLAINTEXT) return json;
    return JSON.stringify({ ...payload, body: shorten(text.body, size - MAX_PUSH_PLAINTEXT) });
  }
}

/** Drops at least `excessBytes` of JSON-encoded text from the end, whole code points only, and marks the cut. */
function shorten(body: string, excessBytes: number): string {
  const chars = [...body];
  let over = excessBytes + Buffer.byteLength(JSON.stringify(ELLIPSIS)) - 2;
  while (chars.length > 0 && over > 0) over -= Buffer.byteLength(JSON.stringify(chars.pop()!)) - 2;
  return chars.join('') + ELLIPSIS;
}
