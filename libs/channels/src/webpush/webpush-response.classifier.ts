import type { DeliveryOutcome } from '../channel-adapter';
import { parseRetryAfter } from '../fcm/retry-backoff';

export interface WebPushHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One push service answer as a delivery outcome (RFC 8030 §5, §7.3, §8.4; the vendors' documented codes):
 * - 201 Created (202 Accepted for a receipt request) → sent; the `Location` names the message.
 * - 404 Not Found and 410 Gone → the subscription expired or the user unsubscribed: endpoint dead, as every
 *   vendor asks (Mozilla autopush, FCM web, Apple all use 410 for unsubscribed).
 * - 429 Too Many Requests and 5xx → retry, not before `Retry-After`.
 * - 413 (payload too big) and 400 (malformed request) → our fault, not the subscriber's: failed, endpoint kept.
 * - 401/403 → the VAPID key or JWT is refused (a 401 here already had one fresh JWT): the setup, not the
 *   subscriber, is at fault, so it is retried like FCM's auth errors and the endpoint is never blamed (a key
 *   mix-up must not mark every browser dead).
 */
export function classifyWebPushResponse(
  deliveryId: string,
  res: WebPushHttpResponse,
  now: number,
): DeliveryOutcome {
  const { status } = res;
  if (status >= 200 && status < 300) {
    const location = res.headers.location;
    return {
      deliveryId,
      kind: 'sent',
      ...(typeof location === 'string' ? { providerMessageId: location } : {}),
    };
  }
  if (status === 404 || status === 410)
    return {
      deliveryId,
      kind: 'failed',
      errorCode: status === 410 ? 'GONE' : 'NOT_FOUND',
      endpointDead: true,
    };
  if (status === 429 || status >= 500 || status === 401 || status === 403) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
    return {
      deliveryId,
      kind: 'retry',
      errorCode: status === 429 ? 'RATE_LIMITED' : status < 500 ? 'VAPID_REJECTED' : `HTTP_${status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  const errorCode = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 400 ? 'BAD_REQUEST' : `HTTP_${status}`;
  return { deliveryId, kind: 'failed', errorCode, endpointDead: false };
}
