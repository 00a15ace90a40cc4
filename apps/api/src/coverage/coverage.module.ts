import { Module } from '@nestjs/common';
import { CoveragePersistenceModule } from '@bousai/persistence';
import { CoverageController } from './coverage.controller';
import { CoverageReportUseCase } from './coverage-report.use-case';

@Module({
  imports: [CoveragePersistenceModule],
  controllers: [CoverageController],
  providers: [CoverageReportUseCase],
})
export class CoverageModule {}
