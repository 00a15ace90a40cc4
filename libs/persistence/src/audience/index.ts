export * from './audience-sql';
export * from './audience.repository';
