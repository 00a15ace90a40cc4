import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { EmailChannelAdapter } from './email-channel.adapter';
import { createEmailChannelAdapter } from './email-channel.factory';

/** Provides the email sender to the fanout app; the SMTP pool connects on the first send and closes on shutdown. */
@Module({
  providers: [
    {
      provide: EmailChannelAdapter,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) => createEmailChannelAdapter(config),
    },
  ],
  exports: [EmailChannelAdapter],
})
export class EmailChannelModule {}
