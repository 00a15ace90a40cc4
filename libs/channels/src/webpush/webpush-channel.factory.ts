import { DomainError, ErrorCode, OutboundAddressPolicy } from '@bousai/domain';
import type { FanoutConfig } from '@bousai/config';
import { systemClock, type Clock } from '../fcm/clock';
import { PushAgents } from './push-agents';
import { PushEgressGuard, type ResolveAll } from './push-egress.guard';
import { PushEncryptionPool } from './push-encryption.pool';
import { VapidHeaderCache } from './vapid-header.cache';
import { WebPushChannelAdapter } from './webpush-channel.adapter';

export type WebPushSettings = Pick<
  FanoutConfig,
  | 'WEBPUSH_VAPID_PUBLIC_KEY'
  | 'WEBPUSH_VAPID_PRIVATE_KEY'
  | 'WEBPUSH_VAPID_SUBJECT'
  | 'WEBPUSH_MAX_SOCKETS'
  | 'WEBPUSH_HTTP2'
  | 'WEBPUSH_HTTP2_SESSIONS'
  | 'WEBPUSH_HTTP2_MAX_STREAMS'
  | 'WEBPUSH_REQUEST_TIMEOUT_MS'
  | 'WEBPUSH_ALLOW_HTTP'
  | 'WEBPUSH_TLS_INSECURE'
  | 'WEBPUSH_ALLOWED_ORIGINS'
  | 'WEBPUSH_LOOPBACK_ORIGINS'
  | 'WEBPUSH_ACK_URL'
  | 'WEBPUSH_ENCRYPT_THREADS'
  | 'ACK_TOKEN_SECRET'
  | 'ACK_TOKEN_TTL_SECONDS'
>;

/** Web Push is configured wrongly; raised at boot, before any alert depends on it. */
export class WebPushNotConfiguredError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.Unavailable, message);
  }
}

/**
 * Wires the sender from configuration: its own agents per origin, VAPID cache and egress guard. `resolve`
 * replaces the system resolver (tests: made-up names resolving to chosen addresses, nothing leaves the host).
 */
export function createWebPushChannelAdapter(
  settings: WebPushSettings,
  clock: Clock = systemClock,
  resolve?: ResolveAll,
): WebPushChannelAdapter {
  const publicKey = settings.WEBPUSH_VAPID_PUBLIC_KEY;
  const privateKey = settings.WEBPUSH_VAPID_PRIVATE_KEY;
  if (!publicKey || !privateKey) {
    throw new WebPushNotConfiguredError(
      'Web Push needs WEBPUSH_VAPID_PUBLIC_KEY and WEBPUSH_VAPID_PRIVATE_KEY (npm run vapid:generate)',
    );
  }
  const egress = new PushEgressGuard(
    new OutboundAddressPolicy({
      allowedOrigins: settings.WEBPUSH_ALLOWED_ORIGINS,
      loopbackOrigins: settings.WEBPUSH_LOOPBACK_ORIGINS,
      allowHttp: settings.WEBPUSH_ALLOW_HTTP,
    }),
    resolve,
  );
  return new WebPushChannelAdapter({
    agents: new PushAgents({
      lookup: egress.lookup,
      maxSockets: settings.WEBPUSH_MAX_SOCKETS,
      requestTimeoutMs: settings.WEBPUSH_REQUEST_TIMEOUT_MS,
      tlsInsecure: settings.WEBPUSH_TLS_INSECURE,
      ...(settings.WEBPUSH_HTTP2
        ? {
            http2: {
              sessions: settings.WEBPUSH_HTTP2_SESSIONS,
              maxStreams: settings.WEBPUSH_HTTP2_MAX_STREAMS,
            },
          }
        : {}),
    }),
    vapid: new VapidHeaderCache({ publicKey, privateKey, subject: settings.WEBPUSH_VAPID_SUBJECT }, clock),
    concurrency: settings.WEBPUSH_MAX_SOCKETS,
    egress,
    ...(settings.WEBPUSH_ACK_URL ? { ackUrl: settings.WEBPUSH_ACK_URL } : {}),
    ...(settings.ACK_TOKEN_SECRET
      ? { ackTokens: { secret: settings.ACK_TOKEN_SECRET, ttlMs: settings.ACK_TOKEN_TTL_SECONDS * 1_000 } }
      : {}),
    ...(settings.WEBPUSH_ENCRYPT_THREADS > 0
      ? { encryption: new PushEncryptionPool(settings.WEBPUSH_ENCRYPT_THREADS) }
      : {}),
    clock,
  });
}
