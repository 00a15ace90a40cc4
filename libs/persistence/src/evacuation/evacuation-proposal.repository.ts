import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { operatorName } from '../sql/operator-name';
import { returnedRows } from '../sql/pg-errors';
import { DomainError, ErrorCode, type Hazard, NotFoundError } from '@bousai/domain';
import type { ProposalKind } from './evacuation-proposal.entity';
import type { StoredOrderDistrict } from './evacuation-order.repository';

export interface NewProposal {
  municipalityId: string;
  orderId: string;
  kind: ProposalKind;
  hazard: Hazard;
  level: number;
  districtCodes: string[];
  sourceDocumentId: string | null;
}

export interface StoredProposal extends NewProposal {
  id: string;
  createdAt: Date;
  dismissedBy: string | null;
  /** The dismissing operator's name (display name, else e-mail). */
  dismissedByName: string | null;
  dismissedAt: Date | null;
  appliedBy: string | null;
  /** The name of the operator whose step applied it. */
  appliedByName: string | null;
  appliedAt: Date | null;
}

/** An operator's name by id, as a scalar subquery: usable in a SELECT … FOR UPDATE and in RETURNING alike. */
const nameOf = (column: string) => `(SELECT ${operatorName('n')} FROM operator n WHERE n.id = ${column})`;

const VIEW = `p.id, p.municipality_id AS "municipalityId", p.order_id AS "orderId", p.kind, p.hazard, p.level,
  p.district_codes AS "districtCodes", p.source_document_id AS "sourceDocumentId", p.created_at AS "createdAt",
  p.dismissed_by AS "dismissedBy", ${nameOf('p.dismissed_by')} AS "dismissedByName", p.dismissed_at AS "dismissedAt",
  p.applied_by AS "appliedBy", ${nameOf('p.applied_by')} AS "appliedByName", p.applied_at AS "appliedAt"`;

/** The feeds' proposals to lower or lift issued orders, and what the feeds need to draft orders. */
@Injectable()
export class EvacuationProposalRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The municipality's districts whose 市町村等 code is one of `jmaCityCodes`, by code. */
  districtsOfJmaCities(
    em: EntityManager,
    municipalityId: string,
    jmaCityCodes: readonly string[],
  ): Promise<StoredOrderDistrict[]> {
    return em.query<StoredOrderDistrict[]>(
      `SELECT a.id AS "areaId", a.code, a.name, a.name_kana AS "nameKana"
         FROM area a WHERE a.municipality_id = $1 AND a.jma_city_code = ANY ($2::text[]) ORDER BY a.code`,
      [municipalityId, [...jmaCityCodes]],
    );
  }

  /** The municipality's settings (JSON), as stored. */
  async settings(em: EntityManager, municipalityId: string): Promise<Record<string, unknown>> {
    const [row] = await em.query<{ settings: Record<string, unknown> | null }[]>(
      'SELECT settings FROM municipality WHERE id = $1',
      [municipalityId],
    );
    return row?.settings ?? {};
  }

  /** Records a proposal; the same telegram proposing the same again records nothing. Resolves to whether it did. */
  async record(em: EntityManager, p: NewProposal): Promise<string | null> {
    const rows = await em.query<{ id: string }[]>(
      `INSERT INTO evacuation_proposal (municipality_id, order_id, kind, hazard, level, district_codes,
                                        source_document_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (order_id, kind, level, source_document_id) DO NOTHING RETURNING id`,
      [p.municipalityId, p.orderId, p.kind, p.hazard, p.level, p.districtCodes, p.sourceDocumentId],
    );
    return rows[0]?.id ?? null;
  }

  /** The municipality's proposals (of one order, if given), newest first. */
  list(municipalityId: string, orderId?: string, limit = 200): Promise<StoredProposal[]> {
    return this.dataSource.query<StoredProposal[]>(
      `SELECT ${VIEW} FROM evacuation_proposal p
        WHERE p.municipality_id = $1 AND ($2::uuid IS NULL OR p.order_id = $2)
        ORDER BY p.created_at DESC, p.id DESC LIMIT $3`,
      [municipalityId, orderId ?? null, limit],
    );
  }

  /** The order's proposals nobody dismissed or applied yet, newest first. */
  open(municipalityId: string, orderId: string): Promise<StoredProposal[]> {
    return this.dataSource.query<StoredProposal[]>(
      `SELECT ${VIEW} FROM evacuation_proposal p
        WHERE p.municipality_id = $1 AND p.order_id = $2 AND p.dismissed_at IS NULL AND p.applied_at IS NULL
        ORDER BY p.created_at DESC, p.id DESC`,
      [municipalityId, orderId],
    );
  }

  /** Dismisses an open proposal: not found when not the municipality's, refused when already settled. */
  async dismiss(em: EntityManager, municipalityId: string, id: string, by: string): Promise<StoredProposal> {
    const [row] = await em.query<StoredProposal[]>(
      `SELECT ${VIEW} FROM evacuation_proposal p WHERE p.id = $1 AND p.municipality_id = $2 FOR UPDATE`,
      [id, municipalityId],
    );
    if (!row) throw new NotFoundError('evacuation proposal', id);
    if (row.dismissedAt || row.appliedAt) {
      throw new DomainError(
        ErrorCode.IllegalTransition,
        `The proposal is already ${row.dismissedAt ? 'dismissed' : 'applied'}`,
        { id, dismissedAt: row.dismissedAt, appliedAt: row.appliedAt },
      );
    }
    const [updated] = returnedRows<StoredProposal>(
      await em.query(
        `UPDATE evacuation_proposal p SET dismissed_by = $2, dismissed_at = now() WHERE p.id = $1 RETURNING ${VIEW}`,
        [id, by],
      ),
    );
    return updated;
  }

  /**
   * Marks the order's open proposals of `kind` at `level` applied by a step (an operator's lower to that level, or
   * the lift of that level). Resolves to the ids it marked.
   */
  async markApplied(
    em: EntityManager,
    orderId: string,
    kind: ProposalKind,
    level: number,
    by: string,
  ): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await em.query(
        `UPDATE evacuation_proposal SET applied_by = $4, applied_at = now()
          WHERE order_id = $1 AND kind = $2 AND level = $3 AND dismissed_at IS NULL AND applied_at IS NULL
          RETURNING id`,
        [orderId, kind, level, by],
      ),
    );
    return rows.map((r) => r.id);
  }
}
