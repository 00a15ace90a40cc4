import { timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from './errors';
import { hmacSha256 } from './secrets';

/** What a per-delivery acknowledgement token proves: the holder received the message of this one delivery. */
export interface DeliveryAckClaims {
  deliveryId: string;
  /** Unix milliseconds after which the token is refused. */
  expiresAt: number;
}

// Domain separation from every other HMAC the deployment may make (one-tap links, …), even under the same key
const CONTEXT = 'bousai.delivery-ack.v1\n';
const FIELD = '\n';
const MAC_LENGTH = 32;
const MIN_SECRET_LENGTH = 32;
const DELIVERY_ID = /^[1-9][0-9]{0,18}$/;
const MAX_BIGINT = 2n ** 63n - 1n;

/** Delivery ids are positive Postgres `bigint` identities, spelt in decimal without leading zeros. */
export function isDeliveryId(value: unknown): value is string {
  return typeof value === 'string' && DELIVERY_ID.test(value) && BigInt(value) <= MAX_BIGINT;
}

function mac(secret: string, payload: Buffer): Buffer {
  return hmacSha256(secret, CONTEXT, payload);
}

function requireSecret(secret: string): void {
  // a short key makes every token forgeable by brute force; fail loudly rather than sign with it
  if (secret.length < MIN_SECRET_LENGTH)
    throw new DomainError(ErrorCode.Internal, 'ack token secret must be at least 32 characters');
}

function invalid(why: string): DomainError {
  return new DomainError(ErrorCode.TokenInvalid, `ack token is invalid: ${why}`);
}

/**
 * The token a push message carries so that the app or the PWA's service worker can acknowledge it without a
 * resident credential (a service worker has none, and an app may be woken before it has unlocked its keychain).
 * `base64url(deliveryId \n expiresAt) . base64url(HMAC-SHA256)`: about 80 characters, well inside FCM's 4 KB
 * data limit, no server state, and any change to either field breaks the MAC. It can only move its own delivery
 * forward, so a leaked token costs nothing but a wrong "read".
 */
export function signDeliveryAckToken(claims: DeliveryAckClaims, secret: string): string {
  requireSecret(secret);
  if (!isDeliveryId(claims.deliveryId)) throw invalid('deliveryId is not a delivery id');
  if (!Number.isSafeInteger(claims.expiresAt)) throw invalid('expiresAt is not an integer');
  const payload = Buffer.from(`${claims.deliveryId}${FIELD}${claims.expiresAt}`, 'utf8');
  return `${payload.toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * Checks a token made by {@link signDeliveryAckToken}: the MAC in constant time first (nothing of an
 * unauthenticated token is trusted), then its shape, then the expiry. Throws `TOKEN_INVALID` for anything
 * altered, malformed or signed with another key, `TOKEN_EXPIRED` when late.
 */
export function verifyDeliveryAckToken(token: string, secret: string, now = Date.now()): DeliveryAckClaims {
  requireSecret(secret);
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) throw invalid('malformed');
  const payload = Buffer.from(token.slice(0, dot), 'base64url');
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  if (given.length !== MAC_LENGTH || !timingSafeEqual(given, mac(secret, payload)))
    throw invalid('signature mismatch');
  // Buffer.from(…, 'base64url') skips stray characters; only the canonical spelling is accepted
  if (payload.toString('base64url') !== token.slice(0, dot)) throw invalid('malformed');
  const fields = payload.toString('utf8').split(FIELD);
  if (fields.length !== 2 || !isDeliveryId(fields[0])) throw invalid('malformed');
  const expiresAt = Number(fields[1]);
  if (!Number.isSafeInteger(expiresAt)) throw invalid('malformed');
  if (expiresAt <= now) throw new DomainError(ErrorCode.TokenExpired, 'ack token has expired');
  return { deliveryId: fields[0], expiresAt };
}
