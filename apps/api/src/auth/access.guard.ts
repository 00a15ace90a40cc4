import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode, Role, roleSatisfies, sha256 } from '@bousai/domain';
import { IS_PUBLIC_KEY, RESIDENT_KEY, ROLES_KEY } from './access.decorators';
import { AuthService } from './auth.service';
import { ResidentPrincipals } from './resident-principals';
import type { AuthedRequest, ResidentCaller } from './principal';

function bearer(req: Pick<AuthedRequest, 'headers'>): string {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) {
    throw new DomainError(ErrorCode.Unauthenticated, 'Authorization: Bearer <token> is required');
  }
  return match[1];
}

/**
 * The resident a request's `Authorization: Bearer rc_…` credential belongs to; 401 when it has none or it is unknown
 * or revoked. Used by the guard and by the device routes served before express (`DeviceFastPath`).
 */
export async function residentCaller(
  residents: ResidentPrincipals,
  req: Pick<AuthedRequest, 'headers'>,
): Promise<ResidentCaller> {
  const principal = await residents.of(sha256(bearer(req)));
  if (!principal) throw new DomainError(ErrorCode.TokenInvalid, 'Resident credential is unknown or revoked');
  return { kind: 'resident', ...principal };
}

/**
 * Global guard. Every route is closed unless it says otherwise: `@Public()`, `@Roles(role)` for operators,
 * `@ResidentAccess()` for residents (the boot-time check refuses to start when a route says none).
 * Operator routes under `municipalities/:municipalityId` only serve the operator's own municipality.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly residents: ResidentPrincipals,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();

    if (this.reflector.getAllAndOverride<boolean>(RESIDENT_KEY, targets)) {
      req.principal = await residentCaller(this.residents, req);
      return true;
    }

    const required = this.reflector.getAllAndOverride<Role | undefined>(ROLES_KEY, targets);
    if (!required) throw new DomainError(ErrorCode.Forbidden, 'This route declares no access rule');
    const session = await this.auth.authenticate(bearer(req));
    req.principal = { kind: 'operator', ...session };
    const municipalityId = req.params?.municipalityId;
    if (typeof municipalityId === 'string' && municipalityId !== session.municipalityId) {
      throw new DomainError(ErrorCode.Forbidden, 'Your account belongs to another municipality');
    }
    if (!roleSatisfies(session.role, required)) {
      throw new DomainError(ErrorCode.Forbidden, `This action needs the ${required} role or higher`, {
        required,
        held: session.role,
      });
    }
    return true;
  }
}
