export * from './line-api.client';
export * from './line-channel.adapter';
export * from './line-channel.module';
