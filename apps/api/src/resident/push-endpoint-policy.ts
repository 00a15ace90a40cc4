import type { ApiConfig } from '@bousai/config';
import { OutboundAddressPolicy } from '@bousai/domain';

/**
 * The push services a Web Push subscription given to the api may name (residents' endpoints and visitor
 * subscriptions alike), checked without resolving anything: the fanout checks DNS before each push.
 */
export function pushEndpointPolicy(config: ApiConfig): OutboundAddressPolicy {
  return new OutboundAddressPolicy({
    allowedOrigins: config.WEBPUSH_ALLOWED_ORIGINS,
    loopbackOrigins: config.WEBPUSH_LOOPBACK_ORIGINS,
    allowHttp: config.WEBPUSH_ALLOW_HTTP,
  });
}
