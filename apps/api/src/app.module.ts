import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type Env } from '@bousai/config';
import { ObservabilityModule } from '@bousai/observability';
import { PersistenceModule, postgresReadiness } from '@bousai/persistence';
import { RedisModule, redisReadiness } from '@bousai/queue';
import { ACK_ROUTES, AcksModule } from './acks/acks.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { FeedDocumentsModule } from './feed-documents/feed-documents.module';
import { FeedRulesModule } from './feed-rules/feed-rules.module';
import { CoverageModule } from './coverage/coverage.module';
import { DrillsModule } from './drills/drills.module';
import { LiveModule } from './live/live.module';
import { OperatorsModule } from './operators/operators.module';
import { PublicAlertsModule } from './public-alerts/public-alerts.module';
import { PublicEvacuationModule } from './public-evacuation/public-evacuation.module';
import { ResidentModule } from './resident/resident.module';
import { ReceiversModule } from './receivers/receivers.module';
import { RosterModule } from './roster/roster.module';
import { SafetyModule } from './safety/safety.module';
import { SheltersModule } from './shelters/shelters.module';
import { EvacuationModule } from './evacuation/evacuation.module';
import { WebModule } from './web/web.module';
import { VisitorsModule } from './visitors/visitors.module';

@Module({})
export class AppModule {
  /** `env` lets tests boot the api against their own database and Redis prefix. */
  static forRoot(env?: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forApp('api', env),
        PersistenceModule,
        RedisModule,
        ObservabilityModule.forApp('api', {
          readiness: [postgresReadiness, redisReadiness],
          unlogged: ACK_ROUTES,
        }),
        AuthModule,
        AuditModule,
        OperatorsModule,
        RosterModule,
        AlertsModule,
        ResidentModule,
        ReceiversModule,
        AcksModule,
        PublicAlertsModule,
        PublicEvacuationModule,
        LiveModule,
        CoverageModule,
        FeedRulesModule,
        FeedDocumentsModule,
        SafetyModule,
        DrillsModule,
        SheltersModule,
        EvacuationModule,
        WebModule,
        VisitorsModule,
      ],
    };
  }
}
