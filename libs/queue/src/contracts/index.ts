export * from './fanout.contracts';
