export * from './drill-schedule.entity';
export * from './drill.repository';
export * from './drills-persistence.module';
