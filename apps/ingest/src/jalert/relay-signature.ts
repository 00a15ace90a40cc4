import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-bousai-signature';
export const TIMESTAMP_HEADER = 'x-bousai-timestamp';
export const MUNICIPALITY_HEADER = 'x-bousai-municipality';

/**
 * The relay key of one municipality: hex HMAC-SHA256(JALERT_RELAY_SECRET, "jalert-relay:<code>"). Each
 * municipality's integration holds only its own, so it can speak for no other, and what it sends is its own.
 */
export function municipalityRelayKey(secret: string, municipalityCode: string): string {
  return createHmac('sha256', secret).update(`jalert-relay:${municipalityCode}`).digest('hex');
}

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>") — the relay contract (docs/jalert-relay.md).
 * Binding the timestamp into the MAC is what lets the replay window mean anything.
 */
export function relaySignature(secret: string, timestamp: string, body: Uint8Array): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

/** Constant-time comparison of a presented `sha256=<hex>` header against the expected one. */
export function signatureMatches(
  secret: string,
  timestamp: string,
  body: Uint8Array,
  presented: string,
): boolean {
  const expected = Buffer.from(relaySignature(secret, timestamp, body), 'utf8');
  const given = Buffer.from(presented.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `X-Bousai-Timestamp` is whole Unix seconds. */
export function parseTimestamp(value: string): number | null {
  return /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : null;
}
