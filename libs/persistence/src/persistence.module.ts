import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type BaseConfig } from '@bousai/config';
import { dataSourceOptions } from './data-source';
import { OutboxWriter } from './outbox-writer';
import { TransactionRunner } from './transaction-runner';

/**
 * The app's one Postgres pool (the DataSource) and the one way the application layer opens a transaction
 * (`TransactionRunner`), with the one writer of outbox rows (`OutboxWriter`). Global because every aggregate's persistence module (`AlertsPersistenceModule`,
 * `RosterPersistenceModule`, …) builds its repositories on this pool, and a process must never hold two pools;
 * repositories themselves are not global: a feature module imports the persistence modules of the aggregates it
 * uses. Migrations are never run here: `npm run db:migrate` is its own step.
 */
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
  ],
  providers: [TransactionRunner, OutboxWriter],
  exports: [TransactionRunner, OutboxWriter],
})
export class PersistenceModule {}
