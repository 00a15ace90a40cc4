export * from './queue-name';
export * from './job-contract';
export * from './processor-check';
export * from './redis.module';
