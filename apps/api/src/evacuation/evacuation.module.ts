import { Module } from '@nestjs/common';
import { AlertLifecycleModule } from '@bousai/alerts';
import {
  EvacuationPersistenceModule,
  RosterPersistenceModule,
  SheltersPersistenceModule,
} from '@bousai/persistence';
import { AlertsModule } from '../alerts/alerts.module';
import { EvacuationOrdersController, EvacuationProposalsController } from './evacuation.controller';
import { EvacuationHandoffsController } from './evacuation-handoffs.controller';
import { EvacuationHandoffsUseCase } from './evacuation-handoffs.use-case';
import { EvacuationOrdersUseCase } from './evacuation-orders.use-case';
import { EvacuationQueriesUseCase } from './evacuation-queries.use-case';

/** Evacuation orders (避難情報): stored, commanded, and announced through the alert lifecycle. */
@Module({
  imports: [
    AlertLifecycleModule,
    AlertsModule,
    EvacuationPersistenceModule,
    RosterPersistenceModule,
    SheltersPersistenceModule,
  ],
  controllers: [EvacuationOrdersController, EvacuationProposalsController, EvacuationHandoffsController],
  providers: [EvacuationOrdersUseCase, EvacuationQueriesUseCase, EvacuationHandoffsUseCase],
})
export class EvacuationModule {}
