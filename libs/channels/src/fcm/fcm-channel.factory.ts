import { DomainError, ErrorCode } from '@bousai/domain';
import type { FanoutConfig } from '@bousai/config';
import { systemClock, type Clock } from './clock';
import { FcmAccessTokenCache } from './fcm-access-token.cache';
import { FcmChannelAdapter } from './fcm-channel.adapter';
import { createFcmCredential } from './fcm-credential.factory';
import { Http2SessionPool } from './http2-session.pool';
import { TokenBucket } from './token-bucket';

export type FcmSettings = Pick<
  FanoutConfig,
  | 'FCM_BASE_URL'
  | 'FCM_PROJECT_ID'
  | 'FCM_CREDENTIALS_FILE'
  | 'FCM_TOKEN_URL'
  | 'FCM_SESSIONS'
  | 'FCM_MAX_STREAMS'
  | 'FCM_QUOTA_PER_MINUTE'
  | 'FCM_REQUEST_TIMEOUT_MS'
  | 'FCM_KEEP_WARM_SECONDS'
  | 'FCM_TLS_INSECURE'
  | 'ACK_TOKEN_SECRET'
  | 'ACK_TOKEN_TTL_SECONDS'
>;

/** FCM is configured wrongly; raised at boot, before any alert depends on it. */
export class FcmNotConfiguredError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.Unavailable, message);
  }
}

const buckets = new Map<string, TokenBucket>();

/**
 * FCM meters the quota per project, so every sender in a process that sends for the same project draws from
 * one bucket (several adapters, or a test building one per case, never add up to more than the quota).
 */
export function processTokenBucket(projectId: string, quotaPerMinute: number): TokenBucket {
  const key = `${projectId}/${quotaPerMinute}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = TokenBucket.perMinute(quotaPerMinute);
    buckets.set(key, bucket);
  }
  return bucket;
}

/**
 * Wires the sender from configuration: its own session pool and token cache, and the process's bucket for the
 * project. A non-system `clock` (tests) gets a bucket of its own on that clock.
 */
export function createFcmChannelAdapter(
  settings: FcmSettings,
  clock: Clock = systemClock,
): FcmChannelAdapter {
  let credential;
  try {
    credential = createFcmCredential({
      credentialsFile: settings.FCM_CREDENTIALS_FILE,
      tokenUrl: settings.FCM_TOKEN_URL,
      projectId: settings.FCM_PROJECT_ID,
    });
  } catch (err) {
    throw new FcmNotConfiguredError(`FCM credentials: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!credential.projectId) {
    throw new FcmNotConfiguredError(
      'FCM needs FCM_PROJECT_ID or a service-account file (FCM_CREDENTIALS_FILE)',
    );
  }
  return new FcmChannelAdapter({
    projectId: credential.projectId,
    pool: new Http2SessionPool({
      baseUrl: settings.FCM_BASE_URL,
      sessions: settings.FCM_SESSIONS,
      maxStreams: settings.FCM_MAX_STREAMS,
      requestTimeoutMs: settings.FCM_REQUEST_TIMEOUT_MS,
      tlsInsecure: settings.FCM_TLS_INSECURE,
    }),
    tokens: new FcmAccessTokenCache(credential.credential, clock),
    bucket:
      clock === systemClock
        ? processTokenBucket(credential.projectId, settings.FCM_QUOTA_PER_MINUTE)
        : TokenBucket.perMinute(settings.FCM_QUOTA_PER_MINUTE, clock),
    requestTimeoutMs: settings.FCM_REQUEST_TIMEOUT_MS,
    keepWarmMs: settings.FCM_KEEP_WARM_SECONDS * 1_000,
    clock,
    ...(settings.ACK_TOKEN_SECRET
      ? { ackTokens: { secret: settings.ACK_TOKEN_SECRET, ttlMs: settings.ACK_TOKEN_TTL_SECONDS * 1_000 } }
      : {}),
  });
}
