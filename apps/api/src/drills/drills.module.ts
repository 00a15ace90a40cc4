import { Module } from '@nestjs/common';
import {
  AlertsPersistenceModule,
  DrillsPersistenceModule,
  LivePersistenceModule,
  RosterPersistenceModule,
  SafetyPersistenceModule,
} from '@bousai/persistence';
import { AlertsModule } from '../alerts/alerts.module';
import { AlertReportController } from './alert-report.controller';
import { DrillQueriesUseCase } from './drill-queries.use-case';
import { DrillReportUseCase } from './drill-report.use-case';
import { DrillScheduler } from './drill.scheduler';
import { DrillsController } from './drills.controller';
import { LaunchDrillUseCase } from './launch-drill.use-case';

/** 訓練 (issue 6 item 5): launching and scheduling drills, and their reports. */
@Module({
  imports: [
    AlertsPersistenceModule,
    LivePersistenceModule,
    RosterPersistenceModule,
    AlertsModule,
    DrillsPersistenceModule,
    SafetyPersistenceModule,
  ],
  controllers: [DrillsController, AlertReportController],
  providers: [LaunchDrillUseCase, DrillReportUseCase, DrillQueriesUseCase, DrillScheduler],
})
export class DrillsModule {}
