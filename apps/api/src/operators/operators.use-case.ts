import { Injectable } from '@nestjs/common';
import { checkNewOperatorPassword, checkOperatorChange, hashPassword, type Role } from '@bousai/domain';
import {
  type OperatorEntity,
  type OperatorPatch,
  OperatorRepository,
  TransactionRunner,
} from '@bousai/persistence';

/** The most accounts one list answer holds; a disaster office has tens. */
const MAX_OPERATORS = 1000;

/**
 * Operator accounts of a municipality, managed by its administrators: list, create, change role, disable. Role
 * changes and disabling take effect on the very next request (the guard reads both on every call); disabling also
 * ends the account's sessions, so no refresh token outlives it.
 */
@Injectable()
export class OperatorAccountsUseCase {
  constructor(
    private readonly operators: OperatorRepository,
    private readonly tx: TransactionRunner,
  ) {}

  list(municipalityId: string): Promise<OperatorEntity[]> {
    return this.operators.listIn(municipalityId, MAX_OPERATORS);
  }

  async create(
    municipalityId: string,
    input: { email: string; role: Role; password: string; displayName?: string },
  ): Promise<OperatorEntity> {
    checkNewOperatorPassword(input.password);
    return this.operators.create({
      municipalityId,
      email: input.email,
      role: input.role,
      displayName: input.displayName ?? null,
      passwordHash: await hashPassword(input.password),
    });
  }

  update(
    municipalityId: string,
    actorId: string,
    id: string,
    patch: OperatorPatch,
  ): Promise<{ operator: OperatorEntity; endedSessions: number }> {
    checkOperatorChange(actorId, id, patch);
    return this.tx.run(async (em) => {
      const current = await this.operators.lockIn(em, municipalityId, id);
      const operator = await this.operators.applyPatch(em, current, patch);
      const endedSessions = patch.disabled === true ? await this.operators.revokeAllSessions(id, em) : 0;
      return { operator, endedSessions };
    });
  }
}
