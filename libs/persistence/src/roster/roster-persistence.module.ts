import { Module } from '@nestjs/common';
import { RosterRepository } from './roster.repository';
import { RosterImportRepository } from './roster-import.repository';
import { ResidentAuthRepository } from './resident-auth.repository';

const REPOSITORIES = [RosterRepository, RosterImportRepository, ResidentAuthRepository];

/** The roster (areas, households, residents, supporters, endpoints), its CSV import and residents' credentials. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class RosterPersistenceModule {}
