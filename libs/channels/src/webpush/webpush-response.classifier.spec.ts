import { classifyWebPushResponse } from './webpush-response.classifier';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const sut = (status: number, headers: Record<string, string> = {}) =>
  classifyWebPushResponse('d-1', { status, headers }, NOW);

describe(classifyWebPushResponse.name, () => {
  it('counts 201 and 202 as sent, naming the message by its Location', () => {
    expect(sut(201, { location: '/m/1' })).toEqual({
      deliveryId: 'd-1',
      kind: 'sent',
      providerMessageId: '/m/1',
    });
    expect(sut(202)).toEqual({ deliveryId: 'd-1', kind: 'sent' });
  });

  it('marks the subscription dead on 404 and 410 (RFC 8030 §7.3)', () => {
    expect(sut(404)).toEqual({
      deliveryId: 'd-1',
      kind: 'failed',
      errorCode: 'NOT_FOUND',
      endpointDead: true,
    });
    expect(sut(410)).toEqual({ deliveryId: 'd-1', kind: 'failed', errorCode: 'GONE', endpointDead: true });
  });

  it('retries 429 and 5xx, not before Retry-After in seconds or as an HTTP date', () => {
    expect(sut(429, { 'retry-after': '30' })).toEqual({
      deliveryId: 'd-1',
      kind: 'retry',
      errorCode: 'RATE_LIMITED',
      retryAfterMs: 30_000,
    });
    expect(sut(503, { 'retry-after': new Date(NOW + 5_000).toUTCString() })).toEqual({
      deliveryId: 'd-1',
      kind: 'retry',
      errorCode: 'HTTP_503',
      retryAfterMs: 5_000,
    });
    expect(sut(500)).toEqual({ deliveryId: 'd-1', kind: 'retry', errorCode: 'HTTP_500' });
  });

  it('never blames the subscription for our own mistakes or a refused VAPID key', () => {
    expect(sut(400)).toMatchObject({ kind: 'failed', errorCode: 'BAD_REQUEST', endpointDead: false });
    expect(sut(413)).toMatchObject({ kind: 'failed', errorCode: 'PAYLOAD_TOO_LARGE', endpointDead: false });
    expect(sut(401)).toMatchObject({ kind: 'retry', errorCode: 'VAPID_REJECTED' });
    expect(sut(403)).toMatchObject({ kind: 'retry', errorCode: 'VAPID_REJECTED' });
  });
});
