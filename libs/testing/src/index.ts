export * from './test-database';
export * from './fakes/fcm';
export * from './fakes/receiver';
