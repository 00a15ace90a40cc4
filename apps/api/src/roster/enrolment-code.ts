import { randomBytes } from 'node:crypto';

// Crockford base32 without I, L, O, U: easy to read aloud and type from a letter.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 symbols of 5 bits = 60 random bits, grouped for reading; single use and expiring. */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`;
}

export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}
