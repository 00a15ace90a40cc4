import type { z } from 'zod';
import { ReceiverErrorCode, receiverFailure, type ReceiverReply } from '@bousai/channels';
import { DomainError, ErrorCode } from '@bousai/domain';

/** A failure a receiver is told about, by code (`docs/receiver-protocol.md` lists them). */
export class ReceiverProtocolError extends Error {
  constructor(
    readonly code: ReceiverErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Parses a device's event payload, or fails with VALIDATION_FAILED naming the fields. */
export function parseReport<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), problem: i.message }));
    throw new ReceiverProtocolError(
      ReceiverErrorCode.ValidationFailed,
      `Invalid ${what}: ${details.map((d) => `${d.field || '(payload)'} (${d.problem})`).join(', ')}`,
      details,
    );
  }
  return parsed.data;
}

/**
 * The one place where failures become what a receiver sees. `expected` is false for failures the device did not
 * cause (a database or Redis outage, a bug): those are logged by the caller and answered as UNAVAILABLE.
 */
export function describeFailure(err: unknown): {
  code: ReceiverErrorCode;
  message: string;
  details?: unknown;
  expected: boolean;
} {
  if (err instanceof ReceiverProtocolError) {
    return { code: err.code, message: err.message, details: err.details, expected: true };
  }
  if (err instanceof DomainError && err.code === ErrorCode.ValidationFailed) {
    return { code: ReceiverErrorCode.ValidationFailed, message: err.message, expected: true };
  }
  return {
    code: ReceiverErrorCode.Unavailable,
    message: 'The server could not record this right now; retry later',
    expected: err instanceof DomainError && err.code === ErrorCode.Unavailable,
  };
}

export function failureReply(err: unknown): ReceiverReply {
  const { code, message, details } = describeFailure(err);
  return receiverFailure(code, message, details ?? null);
}
