import { Role } from './enums';
import { ErrorCode } from './errors';
import { checkNewOperatorPassword, checkOperatorChange } from './operator-accounts';

describe('operator account changes', () => {
  it('lets an administrator change anyone else, to any role, enabled or not', () => {
    expect(() => checkOperatorChange('a', 'b', { role: Role.Viewer, disabled: true })).not.toThrow();
  });

  it('refuses an administrator lowering their own role or disabling themselves', () => {
    expect(() => checkOperatorChange('a', 'a', { role: Role.Approver })).toThrow(
      expect.objectContaining({ code: ErrorCode.Conflict, details: { field: 'role' } }),
    );
    expect(() => checkOperatorChange('a', 'a', { disabled: true })).toThrow(
      expect.objectContaining({ code: ErrorCode.Conflict, details: { field: 'disabled' } }),
    );
  });

  it('lets an administrator keep their role or re-enable themselves', () => {
    expect(() => checkOperatorChange('a', 'a', { role: Role.Admin, disabled: false })).not.toThrow();
  });

  it('wants passwords of 12 characters or more', () => {
    expect(() => checkNewOperatorPassword('short')).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
    expect(() => checkNewOperatorPassword('twelve chars')).not.toThrow();
  });
});
