export * from './entities';
export * from './naming.strategy';
export * from './data-source';
export * from './schema-tools';
