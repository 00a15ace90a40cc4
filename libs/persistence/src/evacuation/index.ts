export * from './evacuation-order.entity';
export * from './evacuation-order.repository';
export * from './evacuation-persistence.module';
export * from './evacuation-proposal.entity';
export * from './evacuation-proposal.repository';
export * from './evacuation-handoff.entity';
export * from './evacuation-handoff.repository';
