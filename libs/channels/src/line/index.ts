export * from './line-api.client';
export * from './line-channel.adapter';
