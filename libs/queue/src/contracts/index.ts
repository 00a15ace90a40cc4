export * from './fanout.contracts';
export * from './resident.contracts';
export * from './outbox-topics';
