import type { DeliveryOutcome } from '../channel-adapter';
import { parseRetryAfter } from './retry-backoff';

/** FCM HTTP v1 error body: a google.rpc.Status with an FcmError and, for bad fields, a BadRequest detail. */
interface FcmErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: {
      '@type'?: string;
      errorCode?: string;
      fieldViolations?: { field?: string; description?: string }[];
    }[];
  };
}

export interface FcmHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';
const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

function parse(body: string): FcmErrorBody & { name?: string } {
  try {
    return JSON.parse(body) as FcmErrorBody & { name?: string };
  } catch {
    return {};
  }
}

/** FCM's errorCode when present (the specific enum), else the google.rpc status, else the HTTP status. */
function errorCodeOf(res: FcmHttpResponse, body: FcmErrorBody): string {
  const fcm = body.error?.details?.find((d) => d['@type'] === FCM_ERROR_TYPE)?.errorCode;
  return fcm ?? body.error?.status ?? `HTTP_${res.status}`;
}

/**
 * INVALID_ARGUMENT covers both a bad token and a bad message (oversize payload, bad field). Only the former
 * kills the endpoint: FCM says which field in a BadRequest detail (`message.token`) and in its message text.
 */
function blamesToken(body: FcmErrorBody): boolean {
  const fields = body.error?.details
    ?.filter((d) => d['@type'] === BAD_REQUEST_TYPE)
    .flatMap((d) => d.fieldViolations ?? [])
    .map((v) => v.field);
  if (fields && fields.length > 0) return fields.includes('message.token');
  return /registration token/i.test(body.error?.message ?? '');
}

/** Statuses that say "not now" or "not you, the setup": repeating later may succeed, the endpoint is not at fault. */
function retryable(status: number): boolean {
  return (
    status === 429 || status >= 500 || status === 401 || status === 403 || status === 404 || status === 408
  );
}

/**
 * One FCM HTTP v1 response as a delivery outcome, per https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode:
 * UNREGISTERED (404), SENDER_ID_MISMATCH (403) and a token-related INVALID_ARGUMENT (400) are permanent for the
 * endpoint. QUOTA_EXCEEDED (429), UNAVAILABLE (503), INTERNAL (500) and other 5xx are retried, not before
 * `Retry-After`. A 401 reaching this point already had its token refreshed once; a 403 or 404 without those
 * error codes means a wrong project or missing permission, which an operator can fix: retried, and the
 * endpoint is not blamed (otherwise one typo in FCM_PROJECT_ID would mark every phone dead).
 */
export function classifyFcmResponse(deliveryId: string, res: FcmHttpResponse, now: number): DeliveryOutcome {
  const body = parse(res.body);
  if (res.status >= 200 && res.status < 300) {
    return {
      deliveryId,
      kind: 'sent',
      ...(typeof body.name === 'string' ? { providerMessageId: body.name } : {}),
    };
  }
  const errorCode = errorCodeOf(res, body);
  if (errorCode === 'UNREGISTERED' || errorCode === 'SENDER_ID_MISMATCH') {
    return { deliveryId, kind: 'failed', errorCode, endpointDead: true };
  }
  if (res.status === 400) return { deliveryId, kind: 'failed', errorCode, endpointDead: blamesToken(body) };
  if (retryable(res.status)) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
    return { deliveryId, kind: 'retry', errorCode, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { deliveryId, kind: 'failed', errorCode, endpointDead: false };
}
