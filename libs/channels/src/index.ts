export * from './channel-adapter';
export * from './fcm';
export * from './receiver';
