export * from './fake-push-service.server';
export * from './fake-push-service.process';
export * from './fake-push-egress';
export * from './webpush-library.client';
