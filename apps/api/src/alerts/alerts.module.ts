import { Module } from '@nestjs/common';
import { AlertLifecycleModule } from '@bousai/alerts';
import {
  AlertsPersistenceModule,
  AudiencePersistenceModule,
  RosterPersistenceModule,
} from '@bousai/persistence';
import { AlertChecks } from './alert-checks.service';
import { AlertLifecycleUseCase } from './alert-lifecycle.use-case';
import { AlertPreviewUseCase } from './alert-preview.use-case';
import { AlertQueriesUseCase } from './alert-queries.use-case';
import { AlertsController } from './alerts.controller';

@Module({
  imports: [
    AlertLifecycleModule,
    AlertsPersistenceModule,
    AudiencePersistenceModule,
    RosterPersistenceModule,
  ],
  controllers: [AlertsController],
  providers: [AlertLifecycleUseCase, AlertChecks, AlertPreviewUseCase, AlertQueriesUseCase],
  exports: [AlertLifecycleUseCase, AlertChecks],
})
export class AlertsModule {}
