/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast and good enough for synthetic data. Not for
 * secrets — the demo's real secrets come from node:crypto. Its state is a Weyl sequence with period 2^32, so
 * no state repeats within one data set.
 */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint(seed);
  return () => next() / 4294967296;
}

/** The same generator's raw 32-bit outputs. */
function mulberry32Uint(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/** Where the demo's ids start counting time: 2026-01-01T00:00:00Z. */
export const ORDERED_ID_EPOCH_MS = Date.UTC(2026, 0, 1);

/** Deterministic draws for the demo generator: the same seed gives the same data set. */
export class Random {
  private readonly nextUint: () => number;
  private issued = 0;

  constructor(seed: number) {
    this.nextUint = mulberry32Uint(seed);
  }

  private next(): number {
    return this.nextUint() / 4294967296;
  }

  /** [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by relative weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** `count` distinct integers from [0, n), in random order (partial Fisher–Yates). */
  sample(n: number, count: number): number[] {
    const pool = Array.from({ length: n }, (_, i) => i);
    const k = Math.min(count, n);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (n - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, k);
  }

  chars(length: number, alphabet = URL_SAFE): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  hex(length: number): string {
    return this.chars(length, HEX);
  }

  /**
   * An RFC 9562 version-7 shaped uuid, reproducible: its time fields count up from {@link ORDERED_ID_EPOCH_MS} by
   * one per id (4096 ids a millisecond, in the sub-millisecond field), the rest is drawn. So ids ascend in the
   * order they are issued, as the database's own `uuid_v7()` ids do, and rows seeded in id order sit together.
   */
  uuid(): string {
    const seq = this.issued++;
    const ms = (ORDERED_ID_EPOCH_MS + Math.floor(seq / 4096)).toString(16).padStart(12, '0');
    const subMs = (seq % 4096).toString(16).padStart(3, '0');
    const c = this.nextUint().toString(16).padStart(8, '0');
    const d = this.nextUint().toString(16).padStart(8, '0');
    // version nibble 7, variant bits 10
    const variant = HEX[(parseInt(c[0], 16) & 0x3) | 0x8];
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${subMs}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}
