import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@bousai/domain';

/** The one place where error codes become HTTP statuses. */
export const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TokenExpired]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TokenInvalid]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.TooManyAttempts]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.IllegalTransition]: HttpStatus.CONFLICT,
  [ErrorCode.AlertRejected]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.EndpointTaken]: HttpStatus.CONFLICT,
  [ErrorCode.VisitorLimitReached]: HttpStatus.CONFLICT,
  [ErrorCode.CsvInvalid]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.InvalidFcmToken]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.InvalidWebPushSubscription]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.InvalidEmail]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.InvalidLineUserId]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.Internal]: HttpStatus.INTERNAL_SERVER_ERROR,
};

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  422: ErrorCode.ValidationFailed,
  429: ErrorCode.TooManyAttempts,
  503: ErrorCode.Unavailable,
};

/** `details` is always there (null when there is nothing to add), so clients can read it without checking. */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** What the answer to a failure reads of its request (an express request, or a device route's own). */
export interface FailedRequest {
  method: string;
  path: string;
  originalUrl: string;
  route?: unknown;
  id?: unknown;
}

/** Answers every failure as `{ error: { code, message, details } }`; never a stack trace. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const { status, body, retryAfter } = this.failure(exception, req);
    if (retryAfter) res.setHeader('Retry-After', retryAfter);
    if (!res.headersSent) this.send(req, res, status, body);
  }

  /**
   * The answer to a failure, logged when it is the server's own. Also used by the device routes served before
   * express (`DeviceFastPath`), so both answer a failure alike.
   */
  failure(exception: unknown, req: FailedRequest): { status: number; body: ErrorBody; retryAfter?: string } {
    const [status, body] = this.describe(exception, req);
    if (status >= 500) {
      this.logger.error(
        {
          err:
            exception instanceof Error
              ? { name: exception.name, message: exception.message, stack: exception.stack }
              : exception,
          path: req.route ? (req.route as { path: string }).path : undefined,
        },
        'unhandled error',
      );
    }
    if (status === 429 && exception instanceof DomainError) {
      const retry = (exception.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retry) return { status, body, retryAfter: String(retry) };
    }
    return { status, body };
  }

  /** Writes the answer; a subclass may answer browsers with a page instead (the one-tap links). */
  protected send(_req: Request, res: Response, status: number, body: ErrorBody): void {
    res.status(status).json(body);
  }

  private describe(thrown: unknown, req: FailedRequest): [number, ErrorBody] {
    // Nest wraps what a middleware throws (the body parser's verify hook) in an HttpException
    const exception =
      thrown instanceof HttpException && thrown.cause instanceof DomainError ? thrown.cause : thrown;
    if (exception instanceof DomainError) {
      return [
        STATUS_OF[exception.code],
        { error: { code: exception.code, message: exception.message, details: exception.details ?? null } },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        CODE_OF_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
      const response = exception.getResponse();
      let message = exception.message;
      let details: unknown = null;
      if (typeof response === 'object' && response !== null && 'message' in response) {
        const m = response.message;
        if (typeof m === 'string') message = m;
      }
      // Nest's fallback for a path no controller serves (its message would echo the query string)
      if (status === 404 && (!req.route || message === `Cannot ${req.method} ${req.originalUrl}`)) {
        message = `No route ${req.method} ${req.path}`;
        details = { method: req.method, path: req.path };
      }
      // body-parser: malformed JSON, wrong charset, too large
      return [status, { error: { code, message, details } }];
    }
    const typed = exception as { type?: string; status?: number; message?: string };
    if (typeof typed?.status === 'number' && typed.status >= 400 && typed.status < 500) {
      return [
        typed.status,
        {
          error: {
            code: CODE_OF_STATUS[typed.status] ?? ErrorCode.ValidationFailed,
            message: typed.message ?? 'Bad request',
            details: null,
          },
        },
      ];
    }
    const requestId = req.id;
    return [
      500,
      {
        error: {
          code: ErrorCode.Internal,
          message: `Internal error${typeof requestId === 'string' ? `; reference ${requestId}` : ''}`,
          details: typeof requestId === 'string' ? { requestId } : null,
        },
      },
    ];
  }
}
