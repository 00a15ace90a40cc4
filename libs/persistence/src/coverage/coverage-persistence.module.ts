import { Module } from '@nestjs/common';
import { CoverageRepository } from './coverage.repository';

const REPOSITORIES = [CoverageRepository];

/** The coverage KPI: households reached by a working means. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class CoveragePersistenceModule {}
