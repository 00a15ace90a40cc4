import { Module } from '@nestjs/common';
import { RosterRepository } from '../repositories/roster.repository';
import { RosterImportRepository } from './roster-import.repository';
import { ResidentAuthRepository } from '../repositories/resident-auth.repository';

const REPOSITORIES = [RosterRepository, RosterImportRepository, ResidentAuthRepository];

/** The roster (areas, households, residents, supporters, endpoints), its CSV import and residents' credentials. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class RosterPersistenceModule {}
