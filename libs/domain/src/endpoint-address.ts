import { Channel } from './enums';
import { DomainError, ErrorCode } from './errors';
import { OutboundAddressPolicy } from './outbound-address';

export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The validated, normalised form of what a resident registers. */
export interface EndpointAddress {
  channel: Channel;
  /** Token, address, user id or push endpoint URL: unique per channel. */
  address: string;
  subscription?: WebPushSubscription;
}

// FCM registration tokens are opaque, but always URL-safe base64 with an optional "<instance>:" prefix,
// and in practice 140–250 characters; anything else is certainly not one.
const FCM_TOKEN = /^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$/;
// LINE Messaging API user ids: "U" followed by 32 hex digits.
const LINE_USER_ID = /^U[0-9a-f]{32}$/;
// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by the confirmation mail.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const ANY_PUBLIC_HOST = OutboundAddressPolicy.anyPublicHost();

function base64UrlBytes(value: string): Buffer | undefined {
  if (!BASE64URL.test(value)) return undefined;
  return Buffer.from(value.replace(/=+$/, ''), 'base64url');
}

export function parseFcmToken(token: unknown): EndpointAddress {
  if (typeof token !== 'string' || token.length < 100 || token.length > 4096 || !FCM_TOKEN.test(token)) {
    throw new DomainError(
      ErrorCode.InvalidFcmToken,
      'FCM registration token is malformed: expected the token string returned by getToken() (100–4096 URL-safe characters)',
    );
  }
  return { channel: Channel.Fcm, address: token };
}

/**
 * RFC 8030 endpoint over https, RFC 8291 keys: p256dh an uncompressed P-256 point (65 bytes, 0x04 first),
 * auth a 16-byte secret, both base64url. The endpoint must pass `policy` (the installation's push services, no
 * internal address, no userinfo); without one, any public https host.
 */
export function parseWebPushSubscription(
  value: unknown,
  opts: { policy?: OutboundAddressPolicy } = {},
): EndpointAddress {
  const fail = (why: string, extra: Record<string, unknown> = {}): never => {
    throw new DomainError(ErrorCode.InvalidWebPushSubscription, `Web Push subscription is invalid: ${why}`, {
      expected: '{ endpoint: "https://…", keys: { p256dh, auth } } as returned by PushSubscription.toJSON()',
      ...extra,
    });
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const { endpoint, keys } = value as { endpoint?: unknown; keys?: unknown };
  if (typeof endpoint !== 'string') return fail('endpoint is missing');
  const verdict = (opts.policy ?? ANY_PUBLIC_HOST).checkUrl(endpoint);
  if (!verdict.ok) {
    return fail(`endpoint refused: ${verdict.message}`, { field: 'endpoint', reason: verdict.reason });
  }
  const url = verdict.url;
  if (typeof keys !== 'object' || keys === null) return fail('keys are missing');
  const { p256dh, auth } = keys as { p256dh?: unknown; auth?: unknown };
  const point = typeof p256dh === 'string' ? base64UrlBytes(p256dh) : undefined;
  if (!point || point.length !== 65 || point[0] !== 0x04) {
    return fail('keys.p256dh must be a base64url uncompressed P-256 public key (65 bytes)');
  }
  const secret = typeof auth === 'string' ? base64UrlBytes(auth) : undefined;
  if (!secret || secret.length !== 16) return fail('keys.auth must be a base64url 16-byte secret');
  return {
    channel: Channel.WebPush,
    address: url.toString(),
    subscription: { endpoint: url.toString(), keys: { p256dh: p256dh as string, auth: auth as string } },
  };
}

export function parseEmail(value: unknown): EndpointAddress {
  if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value.trim())) {
    throw new DomainError(ErrorCode.InvalidEmail, 'Email address is malformed');
  }
  return { channel: Channel.Email, address: value.trim().toLowerCase() };
}

export function parseLineUserId(value: unknown): EndpointAddress {
  if (typeof value !== 'string' || !LINE_USER_ID.test(value)) {
    throw new DomainError(
      ErrorCode.InvalidLineUserId,
      'LINE user id is malformed: expected "U" followed by 32 hexadecimal digits',
    );
  }
  return { channel: Channel.Line, address: value };
}
