import { InvalidJobPayloadError } from './job-contract';
import { CancelAlertJob, PlanAlertJob, PublishAlertJob } from './contracts';
import { outboxMessage } from './outbox-message';

const alertId = '3f0c2a9e-1b2c-4d5e-8f90-123456789abc';

describe(outboxMessage.name, () => {
  it('builds the row from the contract: its wire name, the checked payload and its job id', () => {
    expect(outboxMessage(PlanAlertJob, { alertId })).toEqual({
      topic: 'alert.plan',
      payload: { alertId },
      jobId: `plan-${alertId}`,
    });
    expect(outboxMessage(CancelAlertJob, { alertId })).toEqual({
      topic: 'alert.cancel',
      payload: { alertId },
      jobId: `cancel-${alertId}`,
    });
  });

  it('refuses a payload the contract refuses, and a job the relay does not take from the outbox', () => {
    expect(() => outboxMessage(PlanAlertJob, { alertId: 'nope' })).toThrow(InvalidJobPayloadError);
    expect(() => outboxMessage(PublishAlertJob, { alertId, target: 'x' as never })).toThrow(
      /not relayed from the outbox/,
    );
  });
});
