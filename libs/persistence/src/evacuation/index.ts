export * from './evacuation-order.entity';
export * from './evacuation-order.repository';
export * from './evacuation-persistence.module';
