import { createHash, timingSafeEqual } from 'node:crypto';

interface Verdict {
  /** The stored argon2id hash the secret was checked against: a rotated secret changes it and misses the cache. */
  secretHash: string;
  /** SHA-256 of the secret the device presented (never the secret itself). */
  digest: Buffer;
  ok: boolean;
  expiresAt: number;
}

/**
 * Remembers, per serial, the last argon2 verdict on (stored hash, presented secret) for a few minutes. After a
 * power cut thousands of receivers reconnect at once with the secret they used a minute ago; argon2id costs tens of
 * milliseconds of CPU each by design, SHA-256 microseconds. Failures are remembered too, so a device stuck with
 * a wrong secret cannot keep the CPU busy either. The database is still asked every time (status, rotation).
 */
export class VerifiedSecretCache {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered verdict, or undefined when there is none for exactly this hash and secret. */
  lookup(serial: string, secretHash: string, secret: string): boolean | undefined {
    const v = this.verdicts.get(serial);
    if (!v) return undefined;
    if (v.expiresAt <= this.now()) {
      this.verdicts.delete(serial);
      return undefined;
    }
    if (v.secretHash !== secretHash || !timingSafeEqual(v.digest, digest(secret))) return undefined;
    return v.ok;
  }

  remember(serial: string, secretHash: string, secret: string, ok: boolean): void {
    if (this.ttlMs <= 0) return;
    // re-inserting moves the serial to the end: the map's order is then oldest-first for eviction
    this.verdicts.delete(serial);
    this.verdicts.set(serial, { secretHash, digest: digest(secret), ok, expiresAt: this.now() + this.ttlMs });
    if (this.verdicts.size > this.maxEntries) {
      const oldest = this.verdicts.keys().next();
      if (!oldest.done) this.verdicts.delete(oldest.value);
    }
  }

  get size(): number {
    return this.verdicts.size;
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
