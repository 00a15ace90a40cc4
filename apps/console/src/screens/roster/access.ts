import type { Operator } from '../../session';

const RANK: Record<Operator['role'], number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

/** Whether the signed-in role may use a button the api allows from `least` up (it refuses the rest anyway). */
export function mayAct(operator: Operator, least: Operator['role']): boolean {
  return RANK[operator.role] >= RANK[least];
}
