import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnrolmentCodeEntity, ResidentCredentialEntity } from '../entities';
import { returnedRows } from '../sql/pg-errors';

export interface ResidentPrincipal {
  credentialId: string;
  residentId: string;
  municipalityId: string;
  householdId: string | null;
}

@Injectable()
export class ResidentAuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createEnrolmentCode(
    residentId: string,
    municipalityId: string,
    codeHash: string,
    expiresAt: Date,
  ): Promise<EnrolmentCodeEntity> {
    const repo = this.dataSource.getRepository(EnrolmentCodeEntity);
    return repo.save(repo.create({ residentId, municipalityId, codeHash, expiresAt, usedAt: null }));
  }

  /**
   * Consumes an unexpired, unused enrolment code and issues a credential in one transaction, so a code works
   * exactly once even when two devices race.
   */
  async redeem(
    codeHash: string,
    tokenHash: string,
    deviceLabel: string | null,
  ): Promise<ResidentPrincipal | undefined> {
    return this.dataSource.transaction(async (em) => {
      const codes = returnedRows<{ resident_id: string; municipality_id: string }>(
        await em.query(
          `UPDATE enrolment_code SET used_at = now()
            WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
          RETURNING resident_id, municipality_id`,
          [codeHash],
        ),
      );
      const code = codes[0];
      if (!code) return undefined;
      const repo = em.getRepository(ResidentCredentialEntity);
      const credential = await repo.save(
        repo.create({
          residentId: code.resident_id,
          municipalityId: code.municipality_id,
          tokenHash,
          deviceLabel,
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      const [resident] = await em.query<{ household_id: string | null }[]>(
        `SELECT household_id FROM resident WHERE id = $1`,
        [code.resident_id],
      );
      return {
        credentialId: credential.id,
        residentId: code.resident_id,
        municipalityId: code.municipality_id,
        householdId: resident?.household_id ?? null,
      };
    });
  }

  async principal(tokenHash: string): Promise<ResidentPrincipal | undefined> {
    const rows = returnedRows<ResidentPrincipal>(
      await this.dataSource.query(
        `UPDATE resident_credential c SET last_used_at = now()
         FROM resident r
        WHERE c.token_hash = $1 AND c.revoked_at IS NULL AND r.id = c.resident_id
      RETURNING c.id AS "credentialId", c.resident_id AS "residentId", c.municipality_id AS "municipalityId",
                r.household_id AS "householdId"`,
        [tokenHash],
      ),
    );
    return rows[0];
  }

  async revokeCredential(credentialId: string): Promise<void> {
    await this.dataSource
      .getRepository(ResidentCredentialEntity)
      .update({ id: credentialId }, { revokedAt: new Date() });
  }
}
