export * from './fake-line.server';
