import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnrolmentCodeEntity, ResidentCredentialEntity } from '../entities';
import { returnedRows } from '../sql/pg-errors';
import { preparedQuery } from '../sql/prepared-query';

export interface ResidentPrincipal {
  credentialId: string;
  residentId: string;
  municipalityId: string;
  householdId: string | null;
}

/** How stale a credential's `last_used_at` may be: it is refreshed at most this often. */
export const LAST_USED_RESOLUTION = '1 minute';

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

  /**
   * The holders of credentials, one per token hash in order: undefined where a credential is unknown or revoked.
   * Many requests' look-ups are answered by one statement (the api batches them). `last_used_at` is refreshed at
   * most once a LAST_USED_RESOLUTION, and only where no other batch is refreshing it right now: a device that acks
   * one delivery a request would otherwise make every request a write and a commit of its own
   * (docs/performance.md, "One ack per request"), and a batch that finds every credential fresh only reads, which
   * commits without waiting for the disk.
   */
  async principals(tokenHashes: readonly string[]): Promise<(ResidentPrincipal | undefined)[]> {
    if (tokenHashes.length === 0) return [];
    const rows = await preparedQuery<ResidentPrincipal & { ord: number }>(
      this.dataSource,
      'resident.principals',
      `WITH found AS (
           SELECT q.ord::int AS ord, c.id, c.resident_id, c.municipality_id, c.last_used_at, r.household_id
             FROM unnest($1::text[]) WITH ORDINALITY AS q(token_hash, ord)
             JOIN resident_credential c ON c.token_hash = q.token_hash AND c.revoked_at IS NULL
             JOIN resident r ON r.id = c.resident_id
         ),
         stale AS (
           SELECT t.id FROM resident_credential t
            WHERE t.id IN (SELECT id FROM found
                            WHERE last_used_at IS NULL OR last_used_at < now() - $2::interval)
              FOR UPDATE SKIP LOCKED
         ),
         touched AS (
           UPDATE resident_credential t SET last_used_at = now() FROM stale WHERE t.id = stale.id
         )
         SELECT ord, id AS "credentialId", resident_id AS "residentId", municipality_id AS "municipalityId",
                household_id AS "householdId"
           FROM found`,
      [tokenHashes, LAST_USED_RESOLUTION],
    );
    const out: (ResidentPrincipal | undefined)[] = tokenHashes.map(() => undefined);
    for (const { ord, ...principal } of rows) out[ord - 1] = principal;
    return out;
  }

  async revokeCredential(credentialId: string): Promise<void> {
    await this.dataSource
      .getRepository(ResidentCredentialEntity)
      .update({ id: credentialId }, { revokedAt: new Date() });
  }
}
