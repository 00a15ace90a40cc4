export * from './fanout-alert.repository';
export * from './delivery-plan.repository';
export * from './delivery-batch.repository';
export * from './outbox-relay.repository';
export * from './outbox-notifications';
export * from './fanout-persistence.module';
export * from './channel-fallback.repository';
export * from './publication.repository';
