export * from './enums';
export * from './errors';
export * from './endpoint-address';
export * from './secrets';
export * from './alert-lifecycle';
export * from './alert-content';
export * from './alert-rendering';
export * from './channel-fallback';
