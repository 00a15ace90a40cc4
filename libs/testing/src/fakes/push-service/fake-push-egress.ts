/**
 * What the api and the Web Push sender need to reach the fake push services of a test or benchmark: every port of
 * 127.0.0.1, allowed as a push service and allowed to be loopback. Without it both refuse the fakes, as they
 * must: the defaults admit only the real push services, and never a loopback address.
 */
export const FAKE_PUSH_EGRESS_ENV = {
  WEBPUSH_ALLOWED_ORIGINS: 'https://127.0.0.1:*,http://127.0.0.1:*',
  WEBPUSH_LOOPBACK_ORIGINS: 'https://127.0.0.1:*,http://127.0.0.1:*',
} as const;
