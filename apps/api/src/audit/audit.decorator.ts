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

export const NOT_AUDITED_KEY = 'bousai:not-audited';

/**
 * Exempts a mutating route from the per-call audit row, with the reason. Only for high-volume device reports that
 * are their own record (delivery acks: the delivery row keeps which device and when, by server and device clock);
 * a row and a commit per call would double the database's work during an ack storm.
 */
export const NotAudited = (reason: string): MethodDecorator => SetMetadata(NOT_AUDITED_KEY, reason);
