import { ConflictError, DomainError, ErrorCode } from '@bousai/domain';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

function pgError(err: unknown): PgError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as PgError & { driverError?: PgError };
  return e.driverError ?? e;
}

/**
 * Turns constraint violations into domain errors a user can act on (the constraint names are ours and stable);
 * anything else is rethrown untouched.
 */
export function translatePgError(err: unknown): never {
  const e = pgError(err) ?? {};
  switch (e.code ?? '') {
    case '23505':
      throw new ConflictError(
        `A record with the same unique key already exists (${e.constraint ?? 'unique'})`,
        {
          constraint: e.constraint,
        },
      );
    case '23503':
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `A referenced record does not exist (${e.constraint ?? 'foreign key'})`,
        {
          constraint: e.constraint,
        },
      );
    case '23514':
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `A value is not allowed (${e.constraint ?? 'check'})`,
        {
          constraint: e.constraint,
        },
      );
    case '22P02':
      throw new DomainError(ErrorCode.ValidationFailed, 'A value has the wrong format');
    default:
      throw err;
  }
}

/**
 * SQLSTATE class 22 (data exception: a NUL in text, a number out of range, a malformed value): the values
 * themselves are refused, so the same statement with the same values fails again however often it is retried.
 */
export function isDataException(err: unknown): boolean {
  const code = pgError(err)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * Rows of an `UPDATE/DELETE … RETURNING` run through `query()`: TypeORM's Postgres driver answers those with
 * `[rows, affectedCount]` and plain SELECTs with the rows alone.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
