import { Module } from '@nestjs/common';
import { RosterRepository } from './roster.repository';
import { RosterImportRepository } from './roster-import.repository';
import { ResidentAuthRepository } from './resident-auth.repository';
import { ResidentHomeRepository } from './resident-home.repository';

const REPOSITORIES = [
  RosterRepository,
  RosterImportRepository,
  ResidentAuthRepository,
  ResidentHomeRepository,
];

/** The roster (areas, households, residents, supporters, endpoints), its CSV import residents' credentials and what their app shows them. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class RosterPersistenceModule {}
