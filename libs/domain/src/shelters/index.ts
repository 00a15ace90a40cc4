export * from './shelter';
export * from './suitability';
export * from './open-data';
export * from './shelter-qr-token';
