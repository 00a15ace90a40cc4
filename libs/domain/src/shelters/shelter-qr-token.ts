import { timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '../errors';
import { hmacSha256 } from '../secrets';

/** What a shelter's QR code says: this shelter, of this municipality. */
export interface ShelterQrClaims {
  municipalityId: string;
  shelterId: string;
}

// domain separation from the one-tap links signed with the same secret: neither token verifies as the other
const CONTEXT = 'bousai.shelter-qr.v1\n';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function invalid(why: string): DomainError {
  return new DomainError(ErrorCode.TokenInvalid, `shelter code is invalid: ${why}`);
}

function macOf(secret: string, payload: string): Buffer {
  if (secret.length < 32) throw new DomainError(ErrorCode.Internal, 'shelter code secret is too short');
  return hmacSha256(secret, CONTEXT, payload);
}

/**
 * The token a shelter's printed QR code carries: `<municipalityId>.<shelterId>.<base64url HMAC-SHA256>`. It never
 * expires (the poster stays on the wall for years) and holds nothing secret; it only proves the code was made by
 * this office for this shelter, so a resident's app cannot check in at a shelter it made up.
 */
export function signShelterQrToken(claims: ShelterQrClaims, secret: string): string {
  if (!UUID.test(claims.municipalityId) || !UUID.test(claims.shelterId)) throw invalid('ids must be uuids');
  const payload = `${claims.municipalityId}.${claims.shelterId}`;
  return `${payload}.${macOf(secret, payload).toString('base64url')}`;
}

/** Checks a token of {@link signShelterQrToken}; `TOKEN_INVALID` for anything altered or malformed. */
export function verifyShelterQrToken(token: string, secret: string): ShelterQrClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw invalid('malformed');
  const [municipalityId, shelterId, mac] = parts;
  if (!UUID.test(municipalityId) || !UUID.test(shelterId)) throw invalid('malformed');
  const given = Buffer.from(mac, 'base64url');
  const wanted = macOf(secret, `${municipalityId}.${shelterId}`);
  // the canonical spelling only: Buffer.from ignores stray characters
  if (given.toString('base64url') !== mac) throw invalid('malformed');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw invalid('signature mismatch');
  return { municipalityId, shelterId };
}
