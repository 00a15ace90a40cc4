import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { FcmChannelAdapter } from './fcm-channel.adapter';
import { createFcmChannelAdapter } from './fcm-channel.factory';

/**
 * Provides the FCM sender to the fanout app. Sessions open lazily on the first send and close in
 * `onModuleDestroy`, so SIGTERM drains the streams in flight before the process exits.
 */
@Module({
  providers: [
    {
      provide: FcmChannelAdapter,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) => createFcmChannelAdapter(config),
    },
  ],
  exports: [FcmChannelAdapter],
})
export class FcmChannelModule {}
