// @bousai/channels: what any app may load. Channel names and outcomes, the texts each channel would send (previews,
// limits, renderers), the receiver protocol and the receiver bus. It sends nothing and loads no provider SDK
// (firebase-admin, web-push, nodemailer, undici, oauth-1.0a), so the api stays free of them: every mail and push,
// the address confirmation included, leaves from the fanout through @bousai/channels/senders (./senders.ts), for
// the fanout and the cli. The boundary is checked by .dependency-cruiser.js and by apps/api/src/app.module.spec.ts.
export * from './channel-adapter';
export * from './channel-preview';
export * from './fcm/clock';
export * from './fcm/retry-backoff';
export * from './fcm/token-bucket';
export * from './receiver/receiver-protocol';
export * from './receiver/receiver-bus';
export * from './x/x-text';
export * from './webpush/webpush-payload';
export * from './webpush/push-egress.guard';
export * from './email/alert-email.renderer';
export * from './email/smtp-result.classifier';
