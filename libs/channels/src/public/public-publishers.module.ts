import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { LineApiClient } from '../line/line-api.client';
import { XApiClient } from '../x/x-api.client';
import { LineBroadcastPublisher } from './line-broadcast.publisher';
import type { PublicPublisher } from './public-publisher';
import { XPublisher } from './x.publisher';

export const PUBLIC_PUBLISHERS = Symbol('PUBLIC_PUBLISHERS');

/** The public targets this process can post to: LINE broadcast with a LINE token, X with all four X keys. */
export function publicPublishers(config: FanoutConfig): PublicPublisher[] {
  const publishers: PublicPublisher[] = [];
  if (config.LINE_CHANNEL_ACCESS_TOKEN) {
    publishers.push(
      new LineBroadcastPublisher(
        new LineApiClient({
          baseUrl: config.LINE_API_BASE_URL,
          channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN,
          requestTimeoutMs: config.LINE_REQUEST_TIMEOUT_MS,
        }),
      ),
    );
  }
  const { X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET } = config;
  if (X_API_KEY && X_API_SECRET && X_ACCESS_TOKEN && X_ACCESS_SECRET) {
    publishers.push(
      new XPublisher(
        new XApiClient({
          baseUrl: config.X_API_BASE_URL,
          credentials: {
            apiKey: X_API_KEY,
            apiSecret: X_API_SECRET,
            accessToken: X_ACCESS_TOKEN,
            accessSecret: X_ACCESS_SECRET,
          },
          requestTimeoutMs: config.X_REQUEST_TIMEOUT_MS,
        }),
      ),
    );
  }
  return publishers;
}

/** Provides `PUBLIC_PUBLISHERS` (possibly none) to the fanout app. */
@Module({
  providers: [{ provide: PUBLIC_PUBLISHERS, inject: [APP_CONFIG], useFactory: publicPublishers }],
  exports: [PUBLIC_PUBLISHERS],
})
export class PublicPublishersModule {}
