import { Channel } from '@bousai/domain';
import { InvalidJobPayloadError } from '../job-contract';
import { QueueName } from '../queue-name';
import { CancelAlertJob, DeliverBatchJobs, PlanAlertJob } from './fanout.contracts';
import { OUTBOX_TOPICS } from './outbox-topics';

const alertId = '3f0c2a9e-1b2c-4d5e-8f90-123456789abc';

describe('fan-out job contracts', () => {
  it('give the plan and cancel jobs the ids the outbox rows carry', () => {
    expect(PlanAlertJob.jobId({ alertId })).toBe(`plan-${alertId}`);
    expect(CancelAlertJob.jobId({ alertId })).toBe(`cancel-${alertId}`);
    expect(OUTBOX_TOPICS['alert.plan']).toBe(PlanAlertJob);
    expect(OUTBOX_TOPICS['alert.cancel']).toBe(CancelAlertJob);
  });

  it('put each channel on its own queue, with deterministic batch and retry ids', () => {
    expect(Object.fromEntries(Object.entries(DeliverBatchJobs).map(([c, j]) => [c, j.queue]))).toEqual({
      receiver: QueueName.DeliveryReceiver,
      fcm: QueueName.DeliveryFcm,
      webpush: QueueName.DeliveryWebpush,
      email: QueueName.DeliveryEmail,
      line: QueueName.DeliveryLine,
    });
    const fcm = DeliverBatchJobs[Channel.Fcm];
    const planned = fcm.encode({ alertId, channel: Channel.Fcm, batchNo: 7 }).payload;
    expect(planned).toEqual({ alertId, channel: 'fcm', batchNo: 7, attempt: 0 });
    expect(fcm.jobId(planned)).toBe(`deliver-${alertId}-fcm-7`);
    expect(fcm.jobId({ ...planned, attempt: 2 })).toBe(`deliver-${alertId}-fcm-7-r2`);
  });

  it('refuses a batch of another channel on a channel queue', () => {
    expect(() =>
      DeliverBatchJobs[Channel.Receiver].encode({ alertId, channel: Channel.Fcm, batchNo: 0 }),
    ).toThrow(InvalidJobPayloadError);
  });
});
