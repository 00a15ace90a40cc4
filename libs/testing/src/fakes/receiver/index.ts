export * from './receiver-simulator';
