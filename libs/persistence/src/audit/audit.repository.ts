import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from '../entities';

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

  async list(municipalityId: string, limit: number, beforeId?: string): Promise<AuditLogEntity[]> {
    const qb = this.dataSource
      .getRepository(AuditLogEntity)
      .createQueryBuilder('a')
      .where('a.municipality_id = :municipalityId', { municipalityId })
      .orderBy('a.id', 'DESC')
      .take(limit);
    if (beforeId) qb.andWhere('a.id < :beforeId', { beforeId });
    return qb.getMany();
  }
}
