import { SetMetadata } from '@nestjs/common';

export const AUDIT_KEY = 'bousai:audit';

export interface AuditSpec {
  /** Dotted verb, e.g. `household.update`. */
  action: string;
  /** What kind of record the route changes; its ids come from `:id`-like params and the result's `id`. */
  targetType?: string;
}

/** Names the audit entry of a mutating route (routes without it are audited as `<Controller>.<handler>`). */
export const Audit = (action: string, targetType?: string): MethodDecorator =>
  SetMetadata(AUDIT_KEY, { action, targetType } satisfies AuditSpec);
