import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ActiveSession, ResidentPrincipal } from '@bousai/persistence';

export type OperatorPrincipal = ActiveSession & { kind: 'operator' };
export type ResidentCaller = ResidentPrincipal & { kind: 'resident' };
export type Principal = OperatorPrincipal | ResidentCaller;

export type AuthedRequest = Request & { principal?: Principal; id?: string };

export const CurrentOperator = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): OperatorPrincipal => {
    const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
    if (p?.kind !== 'operator') throw new Error('CurrentOperator used on a route without @Roles');
    return p;
  },
);

export const CurrentResident = createParamDecorator((_: unknown, ctx: ExecutionContext): ResidentCaller => {
  const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (p?.kind !== 'resident') throw new Error('CurrentResident used on a route without @ResidentAccess');
  return p;
});
