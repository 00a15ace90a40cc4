import { InvalidJobPayloadError } from './job-contract';
import { CancelAlertJob, ConfirmEmailJob, PlanAlertJob, PublishAlertJob } from './contracts';
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

  it('builds an address-confirmation row that names the endpoint, never the address, one job per request', () => {
    const payload = {
      requestId: '0b7e4c1a-2d3f-4a5b-9c8d-7e6f5a4b3c2d',
      endpointId: alertId,
      municipalityId: '5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a',
      residentId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      language: 'ja',
      baseUrl: 'https://bousai.example.jp',
    };
    expect(outboxMessage(ConfirmEmailJob, payload)).toEqual({
      topic: 'email.confirm',
      payload,
      jobId: `confirm-email-${payload.requestId}`,
    });
    expect(() => outboxMessage(ConfirmEmailJob, { ...payload, baseUrl: 'javascript:alert(1)' })).toThrow(
      InvalidJobPayloadError,
    );
  });

  it('refuses a payload the contract refuses, and a job the relay does not take from the outbox', () => {
    expect(() => outboxMessage(PlanAlertJob, { alertId: 'nope' })).toThrow(InvalidJobPayloadError);
    expect(() => outboxMessage(PublishAlertJob, { alertId, target: 'x' as never })).toThrow(
      /not relayed from the outbox/,
    );
  });
});
