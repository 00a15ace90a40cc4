export * from './feed-rule.entity';
export * from './feed-event-alert.entity';
export * from './feed-rule.repository';
export * from './feed-event.repository';
export * from './feed-rules-persistence.module';
