export * from './receiver-protocol';
export * from './receiver-bus';
export * from './receiver-channel.adapter';
export * from './receiver-channel.module';
