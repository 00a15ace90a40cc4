export * from './cap-writer';
