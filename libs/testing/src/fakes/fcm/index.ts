export * from './fake-fcm.server';
export * from './fake-fcm.process';
