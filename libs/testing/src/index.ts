export * from './test-database';
export * from './fakes/fcm';
export * from './fakes/receiver';
export * from './fakes/line';
export * from './fakes/x';
export * from './processes/app-process';
export * from './processes/redis-server.process';
