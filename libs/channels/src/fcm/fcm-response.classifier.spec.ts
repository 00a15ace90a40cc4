import { classifyFcmResponse, type FcmHttpResponse } from './fcm-response.classifier';

const FCM_ERROR = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const now = Date.parse('2026-05-01T00:00:00Z');

function error(status: number, rpcStatus: string, errorCode?: string, extra: object[] = [], message = 'x') {
  return {
    status,
    headers: {},
    body: JSON.stringify({
      error: {
        code: status,
        message,
        status: rpcStatus,
        details: [...(errorCode ? [{ '@type': FCM_ERROR, errorCode }] : []), ...extra],
      },
    }),
  } satisfies FcmHttpResponse;
}

const badToken = {
  '@type': 'type.googleapis.com/google.rpc.BadRequest',
  fieldViolations: [
    { field: 'message.token', description: 'The registration token is not a valid FCM registration token' },
  ],
};
const badPayload = {
  '@type': 'type.googleapis.com/google.rpc.BadRequest',
  fieldViolations: [{ field: 'message.android.ttl', description: 'Invalid duration' }],
};

describe(classifyFcmResponse.name, () => {
  it('reads 200 as sent, with the message name FCM assigned', () => {
    expect(
      classifyFcmResponse('d', { status: 200, headers: {}, body: '{"name":"projects/p/messages/1"}' }, now),
    ).toEqual({
      deliveryId: 'd',
      kind: 'sent',
      providerMessageId: 'projects/p/messages/1',
    });
  });

  it.each([
    ['404 UNREGISTERED', error(404, 'NOT_FOUND', 'UNREGISTERED'), 'UNREGISTERED'],
    [
      '400 INVALID_ARGUMENT on message.token',
      error(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', [badToken]),
      'INVALID_ARGUMENT',
    ],
    [
      '400 naming the registration token only in its message',
      error(
        400,
        'INVALID_ARGUMENT',
        'INVALID_ARGUMENT',
        [],
        'The registration token is not a valid FCM registration token',
      ),
      'INVALID_ARGUMENT',
    ],
    ['403 SENDER_ID_MISMATCH', error(403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH'), 'SENDER_ID_MISMATCH'],
  ])('kills the endpoint on %s', (_name, res, errorCode) => {
    expect(classifyFcmResponse('d', res, now)).toEqual({
      deliveryId: 'd',
      kind: 'failed',
      errorCode,
      endpointDead: true,
    });
  });

  it('fails without blaming the endpoint when INVALID_ARGUMENT is about the payload', () => {
    expect(
      classifyFcmResponse('d', error(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', [badPayload]), now),
    ).toEqual({
      deliveryId: 'd',
      kind: 'failed',
      errorCode: 'INVALID_ARGUMENT',
      endpointDead: false,
    });
  });

  it.each([
    ['429 QUOTA_EXCEEDED', error(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), 'QUOTA_EXCEEDED'],
    ['500 INTERNAL', error(500, 'INTERNAL', 'INTERNAL'), 'INTERNAL'],
    ['503 UNAVAILABLE', error(503, 'UNAVAILABLE', 'UNAVAILABLE'), 'UNAVAILABLE'],
    ['401 after the token refresh', error(401, 'UNAUTHENTICATED'), 'UNAUTHENTICATED'],
    ['403 without an FCM error (permissions)', error(403, 'PERMISSION_DENIED'), 'PERMISSION_DENIED'],
    ['404 without UNREGISTERED (a wrong project)', error(404, 'NOT_FOUND'), 'NOT_FOUND'],
    [
      '502 from a proxy, with no JSON body',
      { status: 502, headers: {}, body: '<html>bad gateway</html>' },
      'HTTP_502',
    ],
  ])('asks for a retry on %s', (_name, res, errorCode) => {
    expect(classifyFcmResponse('d', res, now)).toEqual({ deliveryId: 'd', kind: 'retry', errorCode });
  });

  it('carries Retry-After, as seconds or as an HTTP date', () => {
    const seconds = {
      ...error(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'),
      headers: { 'retry-after': '17' },
    };
    const date = {
      ...error(503, 'UNAVAILABLE', 'UNAVAILABLE'),
      headers: { 'retry-after': 'Fri, 01 May 2026 00:01:00 GMT' },
    };
    expect(classifyFcmResponse('d', seconds, now)).toMatchObject({ kind: 'retry', retryAfterMs: 17_000 });
    expect(classifyFcmResponse('d', date, now)).toMatchObject({ kind: 'retry', retryAfterMs: 60_000 });
  });
});
