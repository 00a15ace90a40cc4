/**
 * Masks personal data and credentials inside free text, so a message such as
 * `SMTP 550 for taro@example.jp` or a stack trace quoting a token never reaches the logs.
 *
 * The same patterns run over pino's finished JSON lines (see `logger.options.ts`), so each one must be safe on
 * JSON text: a match never starts right after a backslash (it would turn `\n` into `\[email]`), a replacement
 * contains no quote or backslash, and nothing that JSON.stringify can print as a number matches (numbers have no
 * `+`, and a `0` inside a number always follows a digit, `.` or `-`).
 */

export const MASK = {
  email: '[email]',
  phone: '[phone]',
  secret: '[redacted]',
} as const;

/** Keys whose values are personal data or credentials wherever they appear. Matched case-insensitively. */
export const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwordHash',
  'token',
  'tokenHash',
  'accessToken',
  'refreshToken',
  'refreshTokenHash',
  'idToken',
  'secret',
  'secretHash',
  'clientSecret',
  'apiKey',
  'privateKey',
  'codeHash',
  'subscription',
  'keys',
  'p256dh',
  'email',
  'phone',
  'phoneNumber',
  'address',
  'postalCode',
  'nameKana',
  'displayName',
  'note',
  'latitude',
  'longitude',
  'location',
] as const;

const sensitiveKeys = new Set(SENSITIVE_KEYS.map((k) => k.toLowerCase()));

/** True for a key listed in {@link SENSITIVE_KEYS}. */
export function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key.toLowerCase());
}

// start of a token: not inside a word, a number or an escape; `\n`, `\r`, `\t` count as whitespace
const START = String.raw`(?:(?<=\\[nrt])|(?<![\w\\+.\-０-９])|(?<=[^\d\\]\.))`;
const END = String.raw`(?![\w\-０-９])`;
const D = '[0-9０-９]';
// hyphens as people type them in Japanese text, including the long-vowel mark used as a dash
const SEP = String.raw`[\-‐‑–−－ー ]`;

const patterns: { re: RegExp; replace: string | ((match: string, ...groups: string[]) => string) }[] = [
  // user:password@ in connection strings
  { re: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/:@"\\]+:[^\s/@"\\]+@/gi, replace: `$1${MASK.secret}@` },
  // Authorization header values quoted in messages
  { re: /(Bearer|bearer|BEARER)\s+[A-Za-z0-9\-._~+/]+=*/g, replace: `$1 ${MASK.secret}` },
  { re: /(Basic|basic|BASIC)\s+[A-Za-z0-9+/]{12,}={0,2}/g, replace: `$1 ${MASK.secret}` },
  // JWTs (operator access tokens, signed links)
  { re: /(?<!\\)eyJ[\w-]{5,}\.[\w-]+\.[\w-]*/g, replace: MASK.secret },
  // FCM registration tokens: <instance id>:APA91b…
  { re: /(?<!\\)[\w-]{10,}:APA91[\w-]{20,}/g, replace: MASK.secret },
  // Web Push endpoints are capability URLs: whoever holds one can push to the device
  {
    re: /(https?:\/\/(?:fcm\.googleapis\.com|[\w.-]*push\.services\.mozilla\.com|web\.push\.apple\.com|[\w.-]*notify\.windows\.com)\/)[^\s"'\\<>]+/gi,
    replace: `$1${MASK.secret}`,
  },
  // credentials in query strings (one-tap safety links, signed acks)
  {
    re: /([?&](?:token|access_token|refresh_token|sig|signature|key|secret|password|code)=)[^&\s"'#\\]+/gi,
    replace: `$1${MASK.secret}`,
  },
  {
    re: /(?<!\\)[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g,
    replace: MASK.email,
  },
  {
    // E.164, as typed: +81 90-1234-5678, +81-3-1234-5678, +819012345678 (8 to 15 digits)
    re: new RegExp(String.raw`${START}[+＋]${D}{1,3}(?:${SEP}?\(?${D}{1,4}\)?){1,5}${END}`, 'g'),
    replace: (m) => (digitCount(m) >= 8 && digitCount(m) <= 15 ? MASK.phone : m),
  },
  {
    // Japanese domestic numbers, 10 or 11 digits: 090-1234-5678, 03(1234)5678, 0120 123 456, 09012345678
    re: new RegExp(
      String.raw`${START}[0０]${D}{0,4}(?:(${SEP})${D}{1,4}\1${D}{3,4}|\(${D}{1,4}\)${D}{3,4}|${D}{5,10})${END}`,
      'g',
    ),
    replace: (m) => (digitCount(m) === 10 || digitCount(m) === 11 ? MASK.phone : m),
  },
];

function digitCount(s: string): number {
  return (s.match(/[0-9０-９]/g) ?? []).length;
}

/** Masks e-mail addresses, phone numbers, bearer tokens, push endpoints and URL credentials in one string. */
export function scrubText(text: string): string {
  let out = text;
  for (const { re, replace } of patterns) {
    out = typeof replace === 'string' ? out.replace(re, replace) : out.replace(re, replace);
  }
  return out;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` fit for a log or an error report: strings scrubbed with {@link scrubText}, values under
 * {@link SENSITIVE_KEYS} replaced, errors flattened to `{ type, message, stack }`. Never mutates its input.
 */
export function scrubPersonalData<T>(value: T): T;
export function scrubPersonalData(value: unknown): unknown {
  return scrub(value, 0, new WeakSet());
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
    if (value instanceof Date) return value;
    if (value instanceof Error) {
      const out: Record<string, unknown> = { type: value.name, message: scrubText(value.message) };
      if (value.stack) out.stack = scrubText(value.stack);
      copyEntries(value, out, depth, seen);
      return out;
    }
    const out: Record<string, unknown> = {};
    copyEntries(value, out, depth, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

function copyEntries(from: object, to: Record<string, unknown>, depth: number, seen: WeakSet<object>): void {
  for (const [k, v] of Object.entries(from)) {
    to[k] = isSensitiveKey(k) ? MASK.secret : scrub(v, depth + 1, seen);
  }
}
