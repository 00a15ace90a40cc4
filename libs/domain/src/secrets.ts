import {
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import * as argon2 from 'argon2';

/** 256 random bits, URL-safe, with a prefix that says what the secret is (and lets scanners find leaks). */
export function newSecret(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** High-entropy secrets need no slow hash; SHA-256 makes the stored value useless to a thief. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The last few signing secrets as KeyObjects: a process signs with one or two (ack tokens, one-tap links). */
const hmacKeys = new Map<string, KeyObject>();
const MAX_HMAC_KEYS = 8;

/**
 * HMAC-SHA256 of `parts` under a UTF-8 secret, the same bytes as `createHmac('sha256', secret)`. Node re-imports a
 * raw key on every `createHmac` (several times the cost of an HMAC with a KeyObject), and a token is signed per
 * delivery on the fan-out's hot path and checked per ack, so the key is imported once.
 */
export function hmacSha256(secret: string, ...parts: (string | Buffer)[]): Buffer {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size >= MAX_HMAC_KEYS) hmacKeys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const DEVICE_SECRET_SCHEME = 'sha256:';

/**
 * Device secrets (receivers) are ≥192 random bits made by {@link newSecret}: nobody can guess them, so a fast hash
 * is as safe as a slow one, and a reconnect storm of thousands of receivers after a restart costs microseconds each
 * instead of an argon2 verification each.
 */
export function hashDeviceSecret(secret: string): string {
  return `${DEVICE_SECRET_SCHEME}${sha256(secret)}`;
}

/** Checks a device secret against {@link hashDeviceSecret}'s output, or an argon2id hash of an older provisioning. */
export async function verifyDeviceSecret(stored: string, secret: string): Promise<boolean> {
  if (stored.startsWith(DEVICE_SECRET_SCHEME)) {
    const expected = Buffer.from(stored.slice(DEVICE_SECRET_SCHEME.length), 'hex');
    const actual = createHash('sha256').update(secret).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  return stored.startsWith('$argon2') ? verifyPassword(stored, secret) : false;
}

/** OWASP's argon2id recommendation (m=19 MiB, t=2, p=1) keeps login CPU bounded on a small box. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against when the email is unknown, so response time does not reveal which emails exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
