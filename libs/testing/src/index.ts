export * from './test-database';
export * from './fakes/fcm';
