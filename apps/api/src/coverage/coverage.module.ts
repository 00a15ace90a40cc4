import { Module } from '@nestjs/common';
import { CoveragePersistenceModule } from '@bousai/persistence';
import { CoverageController } from './coverage.controller';

@Module({ imports: [CoveragePersistenceModule], controllers: [CoverageController] })
export class CoverageModule {}
