import { backoffMs, parseRetryAfter } from './retry-backoff';

describe(backoffMs.name, () => {
  const top = () => 0.999_999;
  const bottom = () => 0;

  it('draws below a ceiling that doubles from 1 s per attempt', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, undefined, { random: top }))).toEqual([
      999, 1_999, 3_999, 7_999, 15_999,
    ]);
    expect(backoffMs(3, undefined, { random: () => 0.5 })).toBe(2_000);
  });

  it('caps the ceiling at 60 s however many attempts were made', () => {
    expect(backoffMs(7, undefined, { random: top })).toBe(59_999);
    expect(backoffMs(500, undefined, { random: top })).toBe(59_999);
  });

  it('uses full jitter: the draw may be as small as zero', () => {
    expect(backoffMs(6, undefined, { random: bottom })).toBe(0);
  });

  it('never answers less than Retry-After, even above the cap', () => {
    expect(backoffMs(1, 30_000, { random: top })).toBe(30_000);
    expect(backoffMs(10, 5_000, { random: top })).toBe(59_999);
    expect(backoffMs(10, 120_000, { random: top })).toBe(120_000);
  });

  it('treats attempt 0 and fractions as the first retry', () => {
    expect(backoffMs(0, undefined, { random: top })).toBe(999);
    expect(backoffMs(1.7, undefined, { random: top })).toBe(999);
  });

  it('takes its base and cap from the options', () => {
    expect(backoffMs(3, undefined, { baseMs: 10_000, capMs: 25_000, random: top })).toBe(24_999);
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-05-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['12', '99'], now)).toBe(12_000);
  });

  it('reads an HTTP-date relative to now, and a date in the past as zero', () => {
    expect(parseRetryAfter('Fri, 01 May 2026 00:00:45 GMT', now)).toBe(45_000);
    expect(parseRetryAfter('Thu, 30 Apr 2026 23:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is absent or unparseable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});
