import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@bousai/migrations';
import type { BaseConfig } from '@bousai/config';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming.strategy';

export type DatabaseConfig = Pick<BaseConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'> &
  Partial<Pick<BaseConfig, 'DATABASE_PREPARED_STATEMENTS'>>;

export function dataSourceOptions(config: DatabaseConfig, applicationName = 'bousai'): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    applicationName,
    // JIT off: every statement here is short, and a statement whose estimate passes jit_above_cost (a partition
    // analyzed while empty and then filled by a large alert) would compile for longer than it runs
    extra: {
      max: config.DATABASE_POOL_SIZE,
      options: '-c jit=off',
      // read by `preparedQuery` (node-postgres ignores it)
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS ?? true,
    },
  };
}

export function createDataSource(config: DatabaseConfig, applicationName?: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}
