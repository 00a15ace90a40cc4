import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { FcmChannelAdapter } from './fcm-channel.adapter';
import { createFcmChannelAdapter } from './fcm-channel.factory';

/**
 * Provides the FCM sender to the fanout app. It warms up at boot and keeps warm (`FCM_KEEP_WARM_SECONDS`:
 * access token and connected sessions), and closes its sessions in `onModuleDestroy`, so SIGTERM drains the
 * streams in flight before the process exits.
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
