import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { findInputProblem } from '@bousai/domain';

/**
 * For the specs of the `isPlain…` guards: whether the api's global pipes (InputTextPipe, then ValidationPipe with
 * whitelist and forbidNonWhitelisted) accept a body for this DTO.
 */
export function pipesAccept(dto: new () => object, body: unknown): boolean {
  if (findInputProblem(body, '') !== null) return false;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const instance = plainToInstance(dto, body);
  return validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
}
