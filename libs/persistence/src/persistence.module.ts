import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type BaseConfig } from '@bousai/config';
import { dataSourceOptions } from './data-source';
import { ENTITIES } from './entities';
import { AudienceRepository } from './audience/audience.repository';
import { AlertRepository } from './repositories/alert.repository';
import { AuditRepository } from './repositories/audit.repository';
import { OperatorRepository } from './repositories/operator.repository';
import { ResidentAuthRepository } from './repositories/resident-auth.repository';
import { RosterRepository } from './repositories/roster.repository';
import { RosterImportRepository } from './roster/roster-import.repository';
import { CoverageRepository } from './coverage/coverage.repository';
import { LiveCountersRepository } from './live/live-counters.repository';
import { PublicAlertRepository } from './public/public-alert.repository';
import { OutboxWriter } from './outbox-writer';
import { TransactionRunner } from './transaction-runner';

const REPOSITORIES = [
  AlertRepository,
  RosterRepository,
  OperatorRepository,
  ResidentAuthRepository,
  AuditRepository,
  RosterImportRepository,
  PublicAlertRepository,
  LiveCountersRepository,
  CoverageRepository,
  AudienceRepository,
  OutboxWriter,
];

/** The app's one Postgres pool. Migrations are never run here: `npm run db:migrate` is its own step. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: BaseConfig) => ({
        ...dataSourceOptions(config),
        // keep booting while Postgres restarts; readiness reports it meanwhile
        retryAttempts: 10,
        retryDelay: 1000,
      }),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  providers: [TransactionRunner, ...REPOSITORIES],
  exports: [TypeOrmModule, TransactionRunner, ...REPOSITORIES],
})
export class PersistenceModule {}
