import { type Role, roleSatisfies } from '@bousai/domain/browser';
import type { Operator } from '../../session';

/** Whether the signed-in role may use a button the api allows from `least` up (it refuses the rest anyway). */
export function mayAct(operator: Operator, least: Operator['role']): boolean {
  return roleSatisfies(operator.role as Role, least as Role);
}
