/** Stable machine-readable error codes. `api` maps them to HTTP statuses in one place. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  TokenExpired = 'TOKEN_EXPIRED',
  TokenInvalid = 'TOKEN_INVALID',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  IllegalTransition = 'ILLEGAL_TRANSITION',
  /** An alert that would reach the wrong people or say nothing (unknown districts, empty or too-long text). */
  AlertRejected = 'ALERT_REJECTED',
  CsvInvalid = 'CSV_INVALID',
  InvalidFcmToken = 'INVALID_FCM_TOKEN',
  InvalidWebPushSubscription = 'INVALID_WEBPUSH_SUBSCRIPTION',
  InvalidEmail = 'INVALID_EMAIL',
  InvalidLineUserId = 'INVALID_LINE_USER_ID',
  EndpointTaken = 'ENDPOINT_TAKEN',
  VisitorLimitReached = 'VISITOR_LIMIT_REACHED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  Unavailable = 'UNAVAILABLE',
  Internal = 'INTERNAL',
}

export type ErrorDetails = Record<string, unknown> | unknown[] | undefined;

/** Base of every error our libraries throw on purpose. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super(ErrorCode.NotFound, `${entity} ${id} was not found`, { entity, id });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super(ErrorCode.Conflict, message, details);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super(ErrorCode.ValidationFailed, message, details);
  }
}
