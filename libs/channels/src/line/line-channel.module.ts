import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { DomainError, ErrorCode } from '@bousai/domain';
import { TokenBucket } from '../fcm/token-bucket';
import { LineApiClient } from './line-api.client';
import { LineChannelAdapter } from './line-channel.adapter';

/** The LINE client from configuration, or a boot error that says which key is missing. */
export function createLineApiClient(config: FanoutConfig): LineApiClient {
  if (!config.LINE_CHANNEL_ACCESS_TOKEN) {
    throw new DomainError(
      ErrorCode.Unavailable,
      'FANOUT_CHANNELS includes line but LINE_CHANNEL_ACCESS_TOKEN is not set',
    );
  }
  return new LineApiClient({
    baseUrl: config.LINE_API_BASE_URL,
    channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN,
    requestTimeoutMs: config.LINE_REQUEST_TIMEOUT_MS,
  });
}

/** Provides the LINE multicast sender to the fanout app. */
@Module({
  providers: [
    {
      provide: LineChannelAdapter,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) =>
        new LineChannelAdapter({
          client: createLineApiClient(config),
          bucket: new TokenBucket(config.LINE_REQUESTS_PER_SECOND, config.LINE_REQUESTS_PER_SECOND),
        }),
    },
  ],
  exports: [LineChannelAdapter],
})
export class LineChannelModule {}
