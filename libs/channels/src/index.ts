export * from './channel-adapter';
export * from './fcm';
