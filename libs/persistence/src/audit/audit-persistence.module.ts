import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';

const REPOSITORIES = [AuditRepository];

/** The audit log, written by the api's interceptor and use cases and by the fanout's escalation ladder. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class AuditPersistenceModule {}
