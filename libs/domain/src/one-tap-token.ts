import { timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from './errors';
import { hmacSha256 } from './secrets';

/** What a one-tap link does when opened; a token made for one purpose is refused for every other. */
export enum OneTapPurpose {
  /** 安否確認: the resident answers a safety request with one tap (`answer` = the status). */
  SafetyAnswer = 'safety-answer',
  /** A resident confirms an email address they registered (the planner only mails confirmed addresses). */
  ConfirmEmail = 'confirm-email',
  /** Escalation: a supporter reports what they found (`answer` = escalation task id and outcome). */
  SupporterCheck = 'supporter-check',
}

export interface OneTapClaims {
  purpose: OneTapPurpose;
  residentId: string;
  /** The alert the answer belongs to; absent for purposes outside an alert (address confirmation). */
  alertId?: string;
  /** The answer the link records (e.g. `safe`), or the endpoint id for an address confirmation. */
  answer?: string;
  /** Unix milliseconds after which the link is refused. */
  expiresAt: number;
}

// Domain separation: the same secret could one day sign other things; these bytes never collide with them.
const CONTEXT = 'bousai.one-tap.v1\n';
const FIELD = '\n';
const MAC_LENGTH = 32;
const PURPOSES = new Set<string>(Object.values(OneTapPurpose));
const MIN_SECRET_LENGTH = 32;

function mac(secret: string, payload: Buffer): Buffer {
  return hmacSha256(secret, CONTEXT, payload);
}

function requireSecret(secret: string): void {
  // a short key makes every link forgeable by brute force; fail loudly rather than sign with it
  if (secret.length < MIN_SECRET_LENGTH)
    throw new DomainError(ErrorCode.Internal, 'one-tap secret must be at least 32 characters');
}

function invalid(why: string): DomainError {
  return new DomainError(ErrorCode.TokenInvalid, `one-tap link is invalid: ${why}`);
}

/**
 * A link token that proves "the holder of the mail or message we sent may record this answer for this resident".
 * `base64url(purpose \n residentId \n alertId \n answer \n expiresAt) . base64url(HMAC-SHA256)`: short enough for
 * a mail client not to wrap it, no server state, and any change to any field breaks the MAC.
 */
export function signOneTapToken(claims: OneTapClaims, secret: string): string {
  requireSecret(secret);
  for (const value of [claims.residentId, claims.alertId ?? '', claims.answer ?? '']) {
    if (value.includes(FIELD)) throw invalid('a field contains a line break');
  }
  if (!Number.isSafeInteger(claims.expiresAt)) throw invalid('expiresAt is not an integer');
  const payload = Buffer.from(
    [claims.purpose, claims.residentId, claims.alertId ?? '', claims.answer ?? '', claims.expiresAt].join(
      FIELD,
    ),
    'utf8',
  );
  return `${payload.toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * The link a mail carries: `<baseUrl><path>?token=<signed claims>` (a trailing slash on the base is dropped; the
 * token is base64url and a dot, safe in a query as it is). One spelling for every one-tap link we send.
 */
export function oneTapUrl(baseUrl: string, path: string, claims: OneTapClaims, secret: string): string {
  return `${baseUrl.replace(/\/$/, '')}${path}?token=${signOneTapToken(claims, secret)}`;
}

/**
 * Checks a token made by {@link signOneTapToken}: the MAC in constant time first (nothing of an unauthenticated
 * token is trusted, not even its purpose), then the purpose the caller expects, then the expiry.
 * Throws `TOKEN_INVALID` for anything altered, malformed or made for another purpose, `TOKEN_EXPIRED` when late.
 */
export function verifyOneTapToken(
  token: string,
  secret: string,
  expected: { purpose: OneTapPurpose; now?: number },
): OneTapClaims {
  requireSecret(secret);
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) throw invalid('malformed');
  const payload = Buffer.from(token.slice(0, dot), 'base64url');
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const wanted = mac(secret, payload);
  if (given.length !== MAC_LENGTH || !timingSafeEqual(given, wanted)) throw invalid('signature mismatch');
  // Buffer.from(…, 'base64url') ignores stray characters; only the canonical spelling of the payload is accepted
  if (payload.toString('base64url') !== token.slice(0, dot)) throw invalid('malformed');
  const fields = payload.toString('utf8').split(FIELD);
  if (fields.length !== 5) throw invalid('malformed');
  const [purposeText, residentId, alertId, answer, expires] = fields;
  if (!PURPOSES.has(purposeText)) throw invalid('made for another purpose');
  const purpose = purposeText as OneTapPurpose;
  if (purpose !== expected.purpose) throw invalid('made for another purpose');
  const expiresAt = Number(expires);
  if (!Number.isSafeInteger(expiresAt)) throw invalid('malformed');
  if (expiresAt <= (expected.now ?? Date.now()))
    throw new DomainError(ErrorCode.TokenExpired, 'one-tap link has expired');
  return {
    purpose,
    residentId,
    ...(alertId ? { alertId } : {}),
    ...(answer ? { answer } : {}),
    expiresAt,
  };
}
