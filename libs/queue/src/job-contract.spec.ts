import { z } from 'zod';
import { DomainError, ErrorCode } from '@bousai/domain';
import { defineJob, InvalidJobPayloadError, type JobPayload } from './job-contract';
import { QueueName } from './queue-name';

const DeliverBatchJob = defineJob({
  name: 'delivery.send-batch',
  queue: QueueName.DeliveryFcm,
  version: 2,
  schema: z.object({ alertId: z.uuid(), channel: z.literal('fcm'), batchNo: z.number().int().min(0) }),
  options: { attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 10_000 },
  jobId: ({ alertId, channel, batchNo }) => `deliver-${alertId}-${channel}-${batchNo}`,
});

const payload: JobPayload<typeof DeliverBatchJob> = {
  alertId: '3f0c2a9e-1b2c-4d5e-8f90-123456789abc',
  channel: 'fcm',
  batchNo: 3,
};

describe(defineJob.name, () => {
  it('carries the wire name, queue, version and options, and derives a deterministic jobId', () => {
    expect(DeliverBatchJob).toMatchObject({
      name: 'delivery.send-batch',
      queue: 'delivery-fcm',
      version: 2,
      options: { attempts: 8 },
    });
    expect(DeliverBatchJob.jobId(payload)).toBe(`deliver-${payload.alertId}-fcm-3`);
    expect(DeliverBatchJob.jobId(payload)).toBe(DeliverBatchJob.jobId({ ...payload }));
  });

  it('round-trips a payload through the envelope', () => {
    const data = DeliverBatchJob.encode(payload);
    expect(data).toEqual({ v: 2, payload });
    expect(DeliverBatchJob.decode(JSON.parse(JSON.stringify(data)))).toEqual(payload);
  });

  it('refuses invalid payloads on both sides with a non-retryable domain error', () => {
    expect(() => DeliverBatchJob.encode({ ...payload, batchNo: -1 })).toThrow(InvalidJobPayloadError);
    const err = catchError(() => DeliverBatchJob.decode({ v: 2, payload: { ...payload, alertId: 'x' } }));
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: ErrorCode.ValidationFailed });
    expect(err.message).toContain('alertId');
  });

  it('refuses data of another version or shape', () => {
    expect(() => DeliverBatchJob.decode({ v: 1, payload })).toThrow(/version 1 is not 2/);
    expect(() => DeliverBatchJob.decode(payload)).toThrow(/not a job envelope/);
    expect(() => DeliverBatchJob.decode(null)).toThrow(InvalidJobPayloadError);
  });

  it('refuses jobIds BullMQ would reject', () => {
    const job = (jobId: (p: { n: number }) => string) =>
      defineJob({
        name: 'test.job',
        queue: QueueName.Escalation,
        version: 1,
        schema: z.object({ n: z.number() }),
        options: {},
        jobId,
      });
    expect(() => job((p) => `a:${p.n}`).jobId({ n: 1 })).toThrow(/must not contain ":"/);
    expect(() => job((p) => `${p.n}`).jobId({ n: 1 })).toThrow(/must not be an integer/);
    expect(() => job(() => '').jobId({ n: 1 })).toThrow(/1\.\.256/);
  });

  it('refuses badly formed definitions', () => {
    const base = { queue: QueueName.AlertPlan, schema: z.object({}), options: {}, jobId: () => 'x' };
    expect(() => defineJob({ ...base, name: 'Plan Alert', version: 1 })).toThrow(/area\.action-name/);
    expect(() => defineJob({ ...base, name: 'alert.plan', version: 0 })).toThrow(/positive integer/);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}
