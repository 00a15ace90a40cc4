import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from '../entities';
import { operatorName } from '../sql/operator-name';

export interface AuditRecord {
  municipalityId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetIds: string[];
  details: Record<string, unknown>;
  requestId: string | null;
}

/** Which entries of a municipality's audit log to read, newest first. */
export interface AuditQuery {
  limit: number;
  /** Entries older than this id (the previous page's last). */
  beforeId?: string;
  actorId?: string;
  /** `operator.update`, or a family: `operator` matches `operator.create`, `operator.update`, … */
  action?: string;
  since?: Date;
  until?: Date;
}

/** An audit entry with the name of the operator who acted (null for a resident or the system). */
export interface NamedAuditEntry extends AuditLogEntity {
  actorName: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(record: AuditRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (municipality_id, actor_type, actor_id, action, target_type, target_ids, details, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        record.municipalityId,
        record.actorType,
        record.actorId,
        record.action,
        record.targetType,
        record.targetIds,
        JSON.stringify(record.details),
        record.requestId,
      ],
    );
  }

  /** The entries newest first, each with the acting operator's name (one query, joined). */
  async list(municipalityId: string, q: AuditQuery): Promise<NamedAuditEntry[]> {
    const qb = this.dataSource
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .leftJoin('operator', 'op', "op.id = a.actor_id AND a.actor_type = 'operator'")
      .addSelect(operatorName('op'), 'actor_name')
      .where('a.municipality_id = :municipalityId', { municipalityId })
      .orderBy('a.id', 'DESC')
      // limit, not take: one row per entry (the join adds no rows), so raw rows and entities line up
      .limit(q.limit);
    if (q.beforeId) qb.andWhere('a.id < :beforeId', { beforeId: q.beforeId });
    if (q.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: q.actorId });
    if (q.action) {
      const family = `${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
      qb.andWhere('(a.action = :action OR a.action LIKE :family)', { action: q.action, family });
    }
    if (q.since) qb.andWhere('a.created_at >= :since', { since: q.since });
    if (q.until) qb.andWhere('a.created_at < :until', { until: q.until });
    const { entities, raw } = await qb.getRawAndEntities<{ actor_name: string | null }>();
    return entities.map((e, i) => Object.assign(e, { actorName: raw[i].actor_name }));
  }
}
