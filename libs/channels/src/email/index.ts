export * from './alert-email.renderer';
export * from './smtp-result.classifier';
export * from './email-channel.adapter';
export * from './email-channel.factory';
export * from './email-channel.module';
export * from './address-confirmation.mailer';
