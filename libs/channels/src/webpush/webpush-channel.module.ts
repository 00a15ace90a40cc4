import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { WebPushChannelAdapter } from './webpush-channel.adapter';
import { createWebPushChannelAdapter } from './webpush-channel.factory';

/**
 * Provides the Web Push sender to the fanout app. Connections open lazily per push-service origin and close in
 * `onModuleDestroy`.
 */
@Module({
  providers: [
    {
      provide: WebPushChannelAdapter,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) => createWebPushChannelAdapter(config),
    },
  ],
  exports: [WebPushChannelAdapter],
})
export class WebPushChannelModule {}
