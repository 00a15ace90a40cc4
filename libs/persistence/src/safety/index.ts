export * from './safety.repository';
export * from './escalation.repository';
export * from './safety-persistence.module';
