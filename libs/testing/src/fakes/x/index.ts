export * from './fake-x.server';
