import type { FanoutConfig } from '@bousai/config';
import { QueueName } from '@bousai/queue';

/** The fan-out's tunables, read once from the validated config. */
export interface FanoutSettings {
  batchSize: number;
  chunkSize: number;
  /** Rows in a channel's first chunk (never more than `chunkSize`). */
  firstChunkSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  relayPollMs: number;
  relayBatch: number;
  relayBackoffMaxMs: number;
  sweepIntervalMs: number;
  sweepDeadlineMs: number;
  fallbackScanMs: number;
  /** A process whose lease is older than this is gone: the deliveries it held are released and sent again. */
  leaseTtlMs: number;
  concurrency: Readonly<Record<QueueName, number>>;
}

export const FANOUT_SETTINGS = Symbol('FANOUT_SETTINGS');

export function fanoutSettings(config: FanoutConfig): FanoutSettings {
  return {
    batchSize: config.FANOUT_BATCH_SIZE,
    chunkSize: config.FANOUT_PLAN_CHUNK_SIZE,
    firstChunkSize: Math.min(config.FANOUT_FIRST_CHUNK_SIZE, config.FANOUT_PLAN_CHUNK_SIZE),
    maxAttempts: config.FANOUT_MAX_ATTEMPTS,
    retryBaseMs: config.FANOUT_RETRY_BASE_MS,
    retryCapMs: config.FANOUT_RETRY_CAP_MS,
    relayPollMs: config.FANOUT_RELAY_POLL_MS,
    relayBatch: config.FANOUT_RELAY_BATCH,
    relayBackoffMaxMs: config.FANOUT_RELAY_BACKOFF_MAX_MS,
    sweepIntervalMs: config.FANOUT_SWEEP_INTERVAL_MS,
    sweepDeadlineMs: config.FANOUT_SWEEP_DEADLINE_MS,
    fallbackScanMs: config.FANOUT_FALLBACK_SCAN_MS,
    leaseTtlMs: config.FANOUT_LEASE_TTL_MS,
    concurrency: {
      [QueueName.AlertPlan]: config.FANOUT_CONCURRENCY_PLAN,
      [QueueName.AlertCancel]: config.FANOUT_CONCURRENCY_CANCEL,
      [QueueName.AlertPublish]: 2,
      [QueueName.DeliveryReceiver]: config.FANOUT_CONCURRENCY_RECEIVER,
      [QueueName.DeliveryFcm]: config.FANOUT_CONCURRENCY_FCM,
      [QueueName.DeliveryWebpush]: config.FANOUT_CONCURRENCY_WEBPUSH,
      [QueueName.DeliveryEmail]: config.FANOUT_CONCURRENCY_EMAIL,
      [QueueName.DeliveryLine]: config.FANOUT_CONCURRENCY_LINE,
      [QueueName.EmailConfirm]: 2,
      [QueueName.Escalation]: 1,
      [QueueName.OutboxRelay]: 1,
    },
  };
}
