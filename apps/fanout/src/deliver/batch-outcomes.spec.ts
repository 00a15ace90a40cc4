import type { DeliveryOutcome } from '@bousai/channels';
import { Channel, DeliveryStatus, DomainError, ErrorCode, ValidationError } from '@bousai/domain';
import type { ClaimedDelivery } from '@bousai/persistence';
import { batchOutcomes, ENDPOINT_DEAD, NO_OUTCOME, outcomesForThrow } from './batch-outcomes';

const claimed = (id: string, overrides: Partial<ClaimedDelivery> = {}): ClaimedDelivery => ({
  deliveryId: id,
  endpointId: `e${id}`,
  address: `tok${id}`,
  subscription: null,
  language: 'ja',
  residentId: null,
  visitor: false,
  endpointActive: true,
  safetyStatus: null,
  attempts: 1,
  ...overrides,
});

describe(batchOutcomes.name, () => {
  it('maps each outcome to the row it writes', () => {
    const outcomes: DeliveryOutcome[] = [
      { deliveryId: '1', kind: 'sent', providerMessageId: 'pm-1' },
      { deliveryId: '2', kind: 'delivered', at: Date.parse('2030-01-01T00:00:00Z') },
      { deliveryId: '3', kind: 'failed', errorCode: 'UNREGISTERED', endpointDead: true },
      { deliveryId: '4', kind: 'retry', errorCode: 'UNAVAILABLE', retryAfterMs: 10_000 },
      { deliveryId: '99', kind: 'sent' },
    ];
    const result = batchOutcomes(
      Channel.Fcm,
      ['1', '2', '3', '4'].map((id) => claimed(id)),
      outcomes,
      5,
    );
    expect(result.rows).toEqual([
      {
        deliveryId: '1',
        status: DeliveryStatus.Sent,
        errorCode: null,
        providerMessageId: 'pm-1',
        deviceDeliveredAt: null,
        endpointDead: false,
        attempts: 1,
      },
      {
        deliveryId: '2',
        status: DeliveryStatus.Delivered,
        errorCode: null,
        providerMessageId: null,
        deviceDeliveredAt: new Date('2030-01-01T00:00:00Z'),
        endpointDead: false,
        attempts: 1,
      },
      {
        deliveryId: '3',
        status: DeliveryStatus.Failed,
        errorCode: 'UNREGISTERED',
        providerMessageId: null,
        deviceDeliveredAt: null,
        endpointDead: true,
        attempts: 1,
      },
      {
        deliveryId: '4',
        status: DeliveryStatus.Queued,
        errorCode: 'UNAVAILABLE',
        providerMessageId: null,
        deviceDeliveredAt: null,
        endpointDead: false,
        attempts: 1,
      },
    ]);
    expect(result.retries).toEqual([{ attempts: 1, rows: 1, retryAfterMs: 10_000 }]);
    expect(result.tally).toEqual({ sent: 1, delivered: 1, failed: 1, retry: 1, exhausted: 0 });
  });

  it('retries a target the sender gave no outcome for, and fails a dead endpoint without sending', () => {
    const result = batchOutcomes(Channel.Fcm, [claimed('1'), claimed('2', { endpointActive: false })], [], 5);
    expect(result.rows.map((r) => [r.deliveryId, r.status, r.errorCode])).toEqual([
      ['1', DeliveryStatus.Queued, NO_OUTCOME],
      ['2', DeliveryStatus.Failed, ENDPOINT_DEAD],
    ]);
  });

  it('groups retries by attempt count, keeping the longest Retry-After', () => {
    const retry = (id: string, retryAfterMs?: number): DeliveryOutcome => ({
      deliveryId: id,
      kind: 'retry',
      errorCode: 'QUOTA_EXCEEDED',
      retryAfterMs,
    });
    const result = batchOutcomes(
      Channel.Fcm,
      [claimed('1'), claimed('2'), claimed('3', { attempts: 2 })],
      [retry('1', 1_000), retry('2', 5_000), retry('3')],
      5,
    );
    expect(result.retries).toEqual([
      { attempts: 1, rows: 2, retryAfterMs: 5_000 },
      { attempts: 2, rows: 1 },
    ]);
  });

  it('after the last attempt gives up on push but parks a receiver for store-and-forward', () => {
    const retry: DeliveryOutcome = { deliveryId: '1', kind: 'retry', errorCode: 'RECEIVER_OFFLINE' };
    const last = [claimed('1', { attempts: 3 })];
    expect(
      batchOutcomes(Channel.Fcm, last, [{ ...retry, errorCode: 'UNAVAILABLE' }], 3).rows[0],
    ).toMatchObject({
      status: DeliveryStatus.Failed,
      errorCode: 'UNAVAILABLE',
    });
    const rx = batchOutcomes(Channel.Receiver, last, [retry], 3);
    expect(rx.rows[0]).toMatchObject({ status: DeliveryStatus.Waiting, errorCode: 'RECEIVER_OFFLINE' });
    expect(rx.retries).toEqual([]);
    expect(rx.tally.exhausted).toBe(1);
  });
});

describe(outcomesForThrow.name, () => {
  const targets = [{ deliveryId: '1' }, { deliveryId: '2' }];

  it('fails the batch for a validation error: retrying cannot fix it', () => {
    expect(outcomesForThrow(targets, new ValidationError('alert has no text'))).toEqual([
      { deliveryId: '1', kind: 'failed', errorCode: ErrorCode.ValidationFailed, endpointDead: false },
      { deliveryId: '2', kind: 'failed', errorCode: ErrorCode.ValidationFailed, endpointDead: false },
    ]);
  });

  it('retries the batch for anything else', () => {
    expect(outcomesForThrow(targets, new Error('socket hang up'))[0]).toEqual({
      deliveryId: '1',
      kind: 'retry',
      errorCode: 'ADAPTER_ERROR',
    });
    expect(outcomesForThrow(targets, new DomainError(ErrorCode.Unavailable, 'x'))[1]).toMatchObject({
      kind: 'retry',
      errorCode: ErrorCode.Unavailable,
    });
  });
});
