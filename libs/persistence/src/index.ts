export * from './entities';
export * from './naming.strategy';
export * from './data-source';
export * from './schema-tools';
export * from './persistence.module';
export * from './transaction-runner';
