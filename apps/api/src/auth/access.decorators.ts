import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '@bousai/domain';

export { Public, IS_PUBLIC_KEY } from '@bousai/observability';

export const ROLES_KEY = 'bousai:roles';
export const RESIDENT_KEY = 'bousai:resident';

/** Operator route: requires an access token whose operator holds at least `role` (roles are ordered). */
export const Roles = (role: Role): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, role),
    ApiBearerAuth('operator'),
    ApiUnauthorizedResponse({ description: 'missing, expired or forged token' }),
    ApiForbiddenResponse({ description: 'role too low or another municipality' }),
  );

/** Resident route: requires the device-bound resident credential. */
export const ResidentAccess = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(RESIDENT_KEY, true),
    ApiBearerAuth('resident'),
    ApiUnauthorizedResponse({ description: 'missing or revoked resident credential' }),
  );
