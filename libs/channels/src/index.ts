export * from './channel-adapter';
export * from './fcm';
export * from './receiver';
export * from './line';
export * from './x';
export * from './webpush';
export * from './email';
export * from './public';
