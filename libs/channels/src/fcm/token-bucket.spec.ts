import type { Clock } from './clock';
import { TokenBucket } from './token-bucket';

class ManualClock implements Clock {
  private at = 1_000_000;
  now(): number {
    return this.at;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

describe(TokenBucket.name, () => {
  it('lets a full burst through at once, then charges each further token 1/rate', () => {
    const clock = new ManualClock();
    const sut = new TokenBucket(10, 5, clock);
    expect([1, 2, 3, 4, 5].map(() => sut.reserve())).toEqual([0, 0, 0, 0, 0]);
    expect(sut.reserve()).toBe(100);
    expect(sut.reserve()).toBe(200);
    expect(sut.reserve()).toBe(300);
  });

  it('refills with elapsed time and never above the burst', () => {
    const clock = new ManualClock();
    const sut = new TokenBucket(10, 5, clock);
    for (let i = 0; i < 5; i++) sut.reserve();
    clock.advance(300);
    expect(sut.available()).toBeCloseTo(3);
    clock.advance(60_000);
    expect(sut.available()).toBe(5);
  });

  it('serves callers in order at the configured rate once the burst is spent', () => {
    const sut = new TokenBucket(100, 100, new ManualClock());
    const startsAt = Array.from({ length: 1_100 }, () => sut.reserve());
    const startedBy = (ms: number) => startsAt.filter((wait) => wait <= ms).length;
    expect(startedBy(0)).toBe(100);
    expect(startedBy(5_000)).toBe(100 + 500);
    expect(startedBy(10_000)).toBe(1_100);
    expect(startsAt).toEqual([...startsAt].sort((a, b) => a - b));
  });

  it('sizes a per-minute quota as rate = quota/60 with one second of burst', () => {
    const sut = TokenBucket.perMinute(600_000, new ManualClock());
    expect(sut.ratePerSecond).toBe(10_000);
    expect(sut.burst).toBe(10_000);
  });

  it('refuses a rate or burst that could never grant a token', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0)).toThrow(RangeError);
  });
});
