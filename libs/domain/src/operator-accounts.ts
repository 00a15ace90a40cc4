import { Role } from './enums';
import { ConflictError, ValidationError } from './errors';

/** The shortest password an administrator may give a new account (the cli asks the same). */
export const MIN_OPERATOR_PASSWORD_LENGTH = 12;

export interface OperatorAccountChange {
  role?: Role;
  disabled?: boolean;
}

/**
 * An administrator may change any account of their municipality but their own admin access: neither a lower
 * role nor a disabled account for themselves. So the municipality always keeps at least one working admin (the
 * one who acts), and nobody locks the office out by a slip of the mouse.
 */
export function checkOperatorChange(actorId: string, targetId: string, change: OperatorAccountChange): void {
  if (actorId !== targetId) return;
  if (change.disabled === true) {
    throw new ConflictError('An administrator cannot disable their own account', { field: 'disabled' });
  }
  if (change.role !== undefined && change.role !== Role.Admin) {
    throw new ConflictError('An administrator cannot lower their own role', { field: 'role' });
  }
}

export function checkNewOperatorPassword(password: string): void {
  if (password.length < MIN_OPERATOR_PASSWORD_LENGTH) {
    throw new ValidationError(`The password needs at least ${MIN_OPERATOR_PASSWORD_LENGTH} characters`, {
      field: 'password',
    });
  }
}
