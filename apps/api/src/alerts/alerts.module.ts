import { Module } from '@nestjs/common';
import {
  AlertsPersistenceModule,
  AudiencePersistenceModule,
  RosterPersistenceModule,
} from '@bousai/persistence';
import { AlertChecks } from './alert-checks.service';
import { AlertLifecycleUseCase } from './alert-lifecycle.use-case';
import { AlertPreviewUseCase } from './alert-preview.use-case';
import { AlertsController } from './alerts.controller';

@Module({
  imports: [AlertsPersistenceModule, AudiencePersistenceModule, RosterPersistenceModule],
  controllers: [AlertsController],
  providers: [AlertLifecycleUseCase, AlertChecks, AlertPreviewUseCase],
  exports: [AlertLifecycleUseCase],
})
export class AlertsModule {}
