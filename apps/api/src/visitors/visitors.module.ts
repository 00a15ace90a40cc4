import { Module } from '@nestjs/common';
import {
  AudiencePersistenceModule,
  SheltersPersistenceModule,
  VisitorsPersistenceModule,
} from '@bousai/persistence';
import { VisitorThrottle } from './visitor-throttle';
import { VisitorSubscriptionsUseCase } from './visitor-subscriptions.use-case';
import { VisitorsController } from './visitors.controller';

/** Visitor subscriptions (issue 21): public, unauthenticated, rate-limited, apart from the roster. */
@Module({
  imports: [VisitorsPersistenceModule, AudiencePersistenceModule, SheltersPersistenceModule],
  controllers: [VisitorsController],
  providers: [VisitorSubscriptionsUseCase, VisitorThrottle],
})
export class VisitorsModule {}
