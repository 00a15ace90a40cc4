import { Agent } from 'node:https';
import { encrypt, generateRequestDetails, sendNotification, WebPushError } from 'web-push';
import type { VapidKeys } from '@bousai/channels/senders';

/** Like https.globalAgent (keep-alive), but trusting a local fake's self-signed certificate; made on first use. */
let insecureAgent: Agent | undefined;

export interface BaselineSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * web-push's own path, untouched: `sendNotification` signs a VAPID JWT per message and sends through Node's
 * global agent. Never used for alerts (test and benchmark code only): the reference the benchmark measures the
 * channel adapter against, and a second, independent client that proves the fake push service speaks the protocol
 * as the library does.
 */
export async function sendWithWebPushLibrary(
  subscription: BaselineSubscription,
  payload: string,
  vapid: VapidKeys,
  options: { ttlSeconds: number; tlsInsecure?: boolean },
): Promise<{ status: number }> {
  try {
    const res = await sendNotification(subscription, payload, {
      vapidDetails: vapid,
      TTL: options.ttlSeconds,
      urgency: 'high',
      // https.globalAgent, the library's default (keep-alive since Node 19), except that it accepts a local
      // fake's self-signed certificate
      ...(options.tlsInsecure
        ? { agent: (insecureAgent ??= new Agent({ keepAlive: true, rejectUnauthorized: false })) }
        : {}),
    });
    return { status: res.statusCode };
  } catch (err) {
    if (err instanceof WebPushError) return { status: err.statusCode };
    throw err;
  }
}

/** The request web-push would send (headers and encrypted body), for tests that tamper with it. */
export function webPushLibraryRequest(
  subscription: BaselineSubscription,
  payload: string,
  vapid: VapidKeys,
  ttlSeconds: number,
): { endpoint: string; headers: Record<string, string>; body: Buffer } {
  const details = generateRequestDetails(subscription, payload, { vapidDetails: vapid, TTL: ttlSeconds });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(details.headers)) headers[k.toLowerCase()] = String(v);
  return { endpoint: details.endpoint, headers, body: details.body ?? Buffer.alloc(0) };
}

/** web-push's own RFC 8291 encryption (its http_ece path), for benchmarks that time ours against it. */
export function encryptWithWebPushLibrary(p256dh: string, auth: string, payload: string): Buffer {
  return encrypt(p256dh, auth, payload, 'aes128gcm').cipherText;
}
