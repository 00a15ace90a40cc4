import { z } from 'zod';
import { Channel, PublicationTarget } from '@bousai/domain';
import { defineJob, type JobContract } from '../job-contract';
import { QueueName } from '../queue-name';

/*
 * The fan-out's jobs. Payloads carry ids only; Postgres holds the truth and every processor re-reads it, so a
 * replayed job (same deterministic id, or a sweeper's re-enqueue) does nothing twice.
 */

const alertIdOnly = z.object({ alertId: z.uuid() });

/** Keep finished jobs for a day: their ids stay taken, so a replayed enqueue of the same id is a no-op. */
const RETAIN = { removeOnComplete: { age: 86_400, count: 50_000 }, removeOnFail: { age: 7 * 86_400 } };

/**
 * Expand an alert's audience into delivery rows and batch jobs. Written to the outbox with the alert's transition
 * to dispatching (`plan-<alertId>`), so a Redis outage never loses an approved alert.
 */
export const PlanAlertJob = defineJob({
  name: 'alert.plan',
  queue: QueueName.AlertPlan,
  version: 1,
  schema: alertIdOnly,
  options: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, ...RETAIN },
  jobId: ({ alertId }) => `plan-${alertId}`,
});

/** Stop an alert: cancel what is still queued and notify everyone it may have reached (`cancel-<alertId>`). */
export const CancelAlertJob = defineJob({
  name: 'alert.cancel',
  queue: QueueName.AlertCancel,
  version: 1,
  schema: alertIdOnly,
  options: { attempts: 10, backoff: { type: 'exponential', delay: 1_000 }, ...RETAIN },
  jobId: ({ alertId }) => `cancel-${alertId}`,
});

/** Post an alert publicly on one target (`publish-<alertId>-<target>`); its `publication` row holds the state. */
export const PublishAlertJob = defineJob({
  name: 'alert.publish',
  queue: QueueName.AlertPublish,
  version: 1,
  schema: z.object({ alertId: z.uuid(), target: z.enum(PublicationTarget) }),
  // a provider's 429/5xx is retried by the job itself: ≈ 2 s, 4 s … up to 17 minutes in all
  options: { attempts: 10, backoff: { type: 'exponential', delay: 2_000 }, ...RETAIN },
  jobId: ({ alertId, target }) => `publish-${alertId}-${target}`,
});

const deliverBatchSchema = z.object({
  alertId: z.uuid(),
  channel: z.enum(Channel),
  batchNo: z.number().int().min(0),
  /**
   * How many send attempts the batch's remaining rows have had: 0 for the planned batch, n for the follow-up
   * that retries the subset a provider asked to retry after attempt n.
   */
  attempt: z.number().int().min(0).default(0),
});

export type DeliverBatchPayload = z.output<typeof deliverBatchSchema>;
export type DeliverBatchContract = JobContract<'delivery.send-batch', typeof deliverBatchSchema>;

function deliverBatchJob(channel: Channel, queue: QueueName): DeliverBatchContract {
  return defineJob({
    name: 'delivery.send-batch',
    queue,
    version: 1,
    schema: deliverBatchSchema.refine((p) => p.channel === channel, {
      message: `channel must be ${channel} on queue ${queue}`,
      path: ['channel'],
    }),
    // attempts here cover the job itself failing (Postgres away, a crash); per-recipient retries are follow-ups
    options: { attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, ...RETAIN },
    jobId: ({ alertId, batchNo, attempt }) =>
      attempt > 0
        ? `deliver-${alertId}-${channel}-${batchNo}-r${attempt}`
        : `deliver-${alertId}-${channel}-${batchNo}`,
  });
}

/** One queue per channel, so each scales and is throttled on its own (docs/architecture.md §8). */
export const DeliverBatchJobs: Readonly<Record<Channel, DeliverBatchContract>> = Object.freeze({
  [Channel.Receiver]: deliverBatchJob(Channel.Receiver, QueueName.DeliveryReceiver),
  [Channel.Fcm]: deliverBatchJob(Channel.Fcm, QueueName.DeliveryFcm),
  [Channel.WebPush]: deliverBatchJob(Channel.WebPush, QueueName.DeliveryWebpush),
  [Channel.Email]: deliverBatchJob(Channel.Email, QueueName.DeliveryEmail),
  [Channel.Line]: deliverBatchJob(Channel.Line, QueueName.DeliveryLine),
});
