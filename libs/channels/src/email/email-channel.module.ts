import { Module } from '@nestjs/common';
import { APP_CONFIG, type FanoutConfig } from '@bousai/config';
import { AddressConfirmationMailer } from './address-confirmation.mailer';
import { EmailChannelAdapter } from './email-channel.adapter';
import { createEmailChannelAdapter } from './email-channel.factory';

/**
 * Provides the email sender and the address-confirmation mailer to the fanout app; each SMTP pool connects on its
 * first mail and closes on shutdown.
 */
@Module({
  providers: [
    {
      provide: EmailChannelAdapter,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) => createEmailChannelAdapter(config),
    },
    {
      provide: AddressConfirmationMailer,
      inject: [APP_CONFIG],
      useFactory: (config: FanoutConfig) => AddressConfirmationMailer.fromSettings(config),
    },
  ],
  exports: [EmailChannelAdapter, AddressConfirmationMailer],
})
export class EmailChannelModule {}
