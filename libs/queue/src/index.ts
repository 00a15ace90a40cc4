export * from './queue-name';
export * from './job-contract';
export * from './processor-check';
export * from './redis.module';
export * from './contracts';
export * from './queue-producer';
export * from './queue-producer.module';
export * from './queue-workers';
