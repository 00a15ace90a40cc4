import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';
import { ActorType } from '@bousai/domain';
import { AuditRepository } from '@bousai/persistence';
import type { AuthedRequest } from '../auth/principal';
import { AUDIT_KEY, type AuditSpec, NOT_AUDITED_KEY } from './audit.decorator';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Extra non-personal facts a handler wants in its audit row (counts, outcome). */
export type AuditedRequest = AuthedRequest & {
  auditDetails?: Record<string, unknown>;
  auditTargetIds?: string[];
};

/**
 * Every successful mutating call writes an `audit_log` row: who (operator, resident or system), what (action),
 * which records (ids from the route params and the result), when. Bodies are never copied: no secrets, no PII.
 * The row is written before the response is sent, so an answered change is always audited.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditRepository,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuditedRequest>();
    if (!MUTATING.has(req.method)) return next.handle();
    if (this.reflector.get<string | undefined>(NOT_AUDITED_KEY, ctx.getHandler())) return next.handle();
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_KEY, ctx.getHandler());
    const action =
      spec?.action ?? `${ctx.getClass().name.replace(/Controller$/, '')}.${ctx.getHandler().name}`;
    return next
      .handle()
      .pipe(
        mergeMap((result: unknown) =>
          from(this.write(req, action, spec?.targetType ?? null, result).then(() => result)),
        ),
      );
  }

  private async write(
    req: AuditedRequest,
    action: string,
    targetType: string | null,
    result: unknown,
  ): Promise<void> {
    const p = req.principal;
    const ids = new Set<string>(req.auditTargetIds ?? []);
    for (const [key, value] of Object.entries(req.params ?? {})) {
      if (key !== 'municipalityId' && typeof value === 'string' && UUID.test(value)) ids.add(value);
    }
    const resultId = (result as { id?: unknown } | null)?.id;
    if (typeof resultId === 'string') ids.add(resultId);
    const loginOperator = (result as { operator?: { id?: string; municipalityId?: string } } | null)
      ?.operator;
    await this.audit.append({
      municipalityId: p?.municipalityId ?? loginOperator?.municipalityId ?? null,
      actorType:
        p?.kind === 'operator'
          ? ActorType.Operator
          : p?.kind === 'resident'
            ? ActorType.Resident
            : ActorType.System,
      actorId:
        p?.kind === 'operator'
          ? p.operatorId
          : p?.kind === 'resident'
            ? p.residentId
            : (loginOperator?.id ?? null),
      action,
      targetType,
      targetIds: [...ids],
      details: req.auditDetails ?? {},
      requestId: typeof req.id === 'string' ? req.id : null,
    });
  }
}
