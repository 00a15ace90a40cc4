import { Injectable } from '@nestjs/common';
import { ValidationError } from '@bousai/domain';
import { type AuditQuery, AuditRepository, type NamedAuditEntry } from '@bousai/persistence';

/** Reading a municipality's audit log, newest first, a page at a time, filtered by actor, action and time. */
@Injectable()
export class AuditLogUseCase {
  constructor(private readonly audit: AuditRepository) {}

  list(municipalityId: string, q: AuditQuery): Promise<NamedAuditEntry[]> {
    if (q.since && q.until && q.since >= q.until) {
      throw new ValidationError('since must be before until', { field: 'since' });
    }
    return this.audit.list(municipalityId, q);
  }
}
