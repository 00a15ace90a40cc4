import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { ReceiverChannelAdapter } from './receiver-channel.adapter';

/**
 * Provides the receiver sender to the fanout app. Its Redis connections open in `onModuleInit` (in the background:
 * boot does not wait for Redis) and close in `onModuleDestroy`.
 */
@Module({
  providers: [
    {
      provide: ReceiverChannelAdapter,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) =>
        new ReceiverChannelAdapter({
          redisUrl: config.REDIS_URL,
          queuePrefix: config.QUEUE_PREFIX,
          ackTimeoutMs: config.RECEIVER_ACK_TIMEOUT_MS,
        }),
    },
  ],
  exports: [ReceiverChannelAdapter],
})
export class ReceiverChannelModule {}
