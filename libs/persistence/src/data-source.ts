import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@bousai/migrations';
import type { BaseConfig } from '@bousai/config';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming.strategy';

export type DatabaseConfig = Pick<BaseConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>;

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
    extra: { max: config.DATABASE_POOL_SIZE },
  };
}

export function createDataSource(config: DatabaseConfig, applicationName?: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}
