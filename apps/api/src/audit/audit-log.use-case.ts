import { Injectable } from '@nestjs/common';
import { type AuditLogEntity, AuditRepository } from '@bousai/persistence';

/** Reading a municipality's audit log, newest first, a page at a time. */
@Injectable()
export class AuditLogUseCase {
  constructor(private readonly audit: AuditRepository) {}

  list(municipalityId: string, limit: number, before?: string): Promise<AuditLogEntity[]> {
    return this.audit.list(municipalityId, limit, before);
  }
}
