import { VerifiedSecretCache } from './verified-secret.cache';

describe(VerifiedSecretCache.name, () => {
  let now = 0;
  const sut = () => new VerifiedSecretCache(60_000, 2, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('answers a remembered verdict for the same stored hash and secret until it expires', () => {
    const cache = sut();
    cache.remember('RX-1', 'hash-a', 'rxs_good', true);
    cache.remember('RX-2', 'hash-b', 'rxs_bad', false);
    expect(cache.lookup('RX-1', 'hash-a', 'rxs_good')).toBe(true);
    expect(cache.lookup('RX-2', 'hash-b', 'rxs_bad')).toBe(false);
    now += 60_000;
    expect(cache.lookup('RX-1', 'hash-a', 'rxs_good')).toBeUndefined();
  });

  it('misses when the secret differs or the stored hash was rotated', () => {
    const cache = sut();
    cache.remember('RX-1', 'hash-a', 'rxs_good', true);
    expect(cache.lookup('RX-1', 'hash-a', 'rxs_other')).toBeUndefined();
    expect(cache.lookup('RX-1', 'hash-rotated', 'rxs_good')).toBeUndefined();
  });

  it('evicts the least recently verified serial beyond its size', () => {
    const cache = sut();
    cache.remember('RX-1', 'h', 's', true);
    cache.remember('RX-2', 'h', 's', true);
    cache.remember('RX-1', 'h', 's', true);
    cache.remember('RX-3', 'h', 's', true);
    expect(cache.size).toBe(2);
    expect(cache.lookup('RX-2', 'h', 's')).toBeUndefined();
    expect(cache.lookup('RX-1', 'h', 's')).toBe(true);
  });

  it('remembers nothing when its lifetime is zero', () => {
    const cache = new VerifiedSecretCache(0);
    cache.remember('RX-1', 'h', 's', true);
    expect(cache.lookup('RX-1', 'h', 's')).toBeUndefined();
  });
});
