import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { Role } from '@bousai/domain';
import { MunicipalityEntity, OperatorEntity, OperatorSessionEntity } from '../entities';
import { returnedRows, translatePgError } from '../sql/pg-errors';

/** What the auth guard needs on every request, read in one statement. */
export interface ActiveSession {
  sessionId: string;
  operatorId: string;
  municipalityId: string;
  role: Role;
  email: string;
}

@Injectable()
export class OperatorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByEmail(email: string): Promise<OperatorEntity | null> {
    return this.dataSource
      .getRepository(OperatorEntity)
      .createQueryBuilder('o')
      .where('lower(o.email) = lower(:email)', { email })
      .getOne();
  }

  findMunicipalityByCode(code: string): Promise<MunicipalityEntity | null> {
    return this.dataSource.getRepository(MunicipalityEntity).findOneBy({ code });
  }

  listMunicipalities(limit: number): Promise<MunicipalityEntity[]> {
    return this.dataSource.getRepository(MunicipalityEntity).find({ take: limit, order: { code: 'ASC' } });
  }

  createMunicipality(code: string, name: string): Promise<MunicipalityEntity> {
    const repo = this.dataSource.getRepository(MunicipalityEntity);
    return repo.save(repo.create({ code, name })).catch(translatePgError);
  }

  async create(data: {
    municipalityId: string;
    email: string;
    passwordHash: string;
    role: Role;
    displayName?: string | null;
  }): Promise<OperatorEntity> {
    const repo = this.dataSource.getRepository(OperatorEntity);
    return repo.save(repo.create({ ...data, displayName: data.displayName ?? null })).catch(translatePgError);
  }

  async setPassword(id: string, passwordHash: string, role?: Role): Promise<void> {
    await this.dataSource
      .getRepository(OperatorEntity)
      .update({ id }, { passwordHash, ...(role ? { role } : {}) });
  }

  async recordLogin(id: string): Promise<void> {
    await this.dataSource.getRepository(OperatorEntity).update({ id }, { lastLoginAt: new Date() });
  }

  async createSession(operatorId: string, refreshTokenHash: string, expiresAt: Date): Promise<string> {
    const repo = this.dataSource.getRepository(OperatorSessionEntity);
    const session = await repo.save(
      repo.create({ operatorId, refreshTokenHash, expiresAt, revokedAt: null }),
    );
    return session.id;
  }

  /** The live session of an access token: not revoked, not expired, operator enabled. */
  async activeSession(sessionId: string): Promise<ActiveSession | undefined> {
    const rows = await this.dataSource.query<ActiveSession[]>(
      `SELECT s.id AS "sessionId", o.id AS "operatorId", o.municipality_id AS "municipalityId", o.role, o.email
         FROM operator_session s JOIN operator o ON o.id = s.operator_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT o.disabled`,
      [sessionId],
    );
    return rows[0];
  }

  /**
   * Rotates a refresh token atomically. Returns the session when `oldHash` is its current token; when `oldHash`
   * is a token rotated out earlier (a replay, so the token was stolen or leaked) the session is revoked.
   */
  async rotateRefreshToken(
    oldHash: string,
    newHash: string,
  ): Promise<{ outcome: 'rotated'; session: ActiveSession } | { outcome: 'replayed' | 'unknown' }> {
    return this.dataSource.transaction(async (em) => {
      const rows = returnedRows<{ id: string }>(
        await em.query(
          `UPDATE operator_session
            SET refresh_token_hash = $2, previous_token_hashes = previous_token_hashes || refresh_token_hash
          WHERE refresh_token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
        RETURNING id`,
          [oldHash, newHash],
        ),
      );
      if (rows.length === 1) {
        const session = await em.query<ActiveSession[]>(
          `SELECT s.id AS "sessionId", o.id AS "operatorId", o.municipality_id AS "municipalityId", o.role, o.email
             FROM operator_session s JOIN operator o ON o.id = s.operator_id
            WHERE s.id = $1 AND NOT o.disabled`,
          [rows[0].id],
        );
        if (session[0]) return { outcome: 'rotated' as const, session: session[0] };
        return { outcome: 'unknown' as const };
      }
      const replay = returnedRows<{ id: string }>(
        await em.query(
          `UPDATE operator_session SET revoked_at = now()
            WHERE $1 = ANY(previous_token_hashes) AND revoked_at IS NULL RETURNING id`,
          [oldHash],
        ),
      );
      return { outcome: replay.length ? ('replayed' as const) : ('unknown' as const) };
    });
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.dataSource
      .getRepository(OperatorSessionEntity)
      .update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every live session of an operator ("log out everywhere"); returns how many were live. */
  async revokeAllSessions(operatorId: string): Promise<number> {
    const result = await this.dataSource
      .getRepository(OperatorSessionEntity)
      .update({ operatorId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  /**
   * Creates the operator of `op.email` in the municipality, or updates its name and role, re-enables it and — only
   * when `resetPassword` — gives it `op.passwordHash`; in the caller's transaction `em`. An email an operator of
   * another municipality uses is left alone (`taken`).
   */
  async upsertByEmail(
    em: EntityManager,
    municipalityId: string,
    op: { email: string; displayName: string; role: Role; passwordHash: string },
    resetPassword: boolean,
  ): Promise<'created' | 'updated' | 'taken'> {
    // the unique index is on lower(email): the conflict target names that expression
    const [row] = returnedRows<{ created: boolean }>(
      await em.query(
        `INSERT INTO operator (municipality_id, email, display_name, password_hash, role)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (lower(email)) DO UPDATE SET
           password_hash = CASE WHEN $6::boolean THEN EXCLUDED.password_hash ELSE operator.password_hash END,
           display_name = EXCLUDED.display_name, role = EXCLUDED.role, disabled = false, updated_at = now()
         WHERE operator.municipality_id = EXCLUDED.municipality_id
         RETURNING (xmax = 0) AS created`,
        [municipalityId, op.email, op.displayName, op.passwordHash, op.role, resetPassword],
      ),
    );
    return !row ? 'taken' : row.created ? 'created' : 'updated';
  }
}
