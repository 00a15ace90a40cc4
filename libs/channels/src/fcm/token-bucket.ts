import { systemClock, type Clock } from './clock';

/**
 * A token bucket that hands out reservations: a caller takes its tokens at once, possibly into debt, and waits
 * until the debt would have refilled. So callers are served in arrival order without a queue, every call is
 * O(1), and the long-run rate never exceeds `ratePerSecond` while up to `burst` may go at once after a pause.
 * FCM meters a project with a token bucket of its own (600k messages/min by default) and answers 429 once it is
 * empty; staying just under it on our side keeps those 429s from happening at all.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1))
      throw new RangeError('TokenBucket needs a positive rate and burst');
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /** For a quota in messages per minute, with one second's worth as the burst. */
  static perMinute(quota: number, clock: Clock = systemClock): TokenBucket {
    const rate = quota / 60;
    return new TokenBucket(rate, Math.max(1, Math.floor(rate)), clock);
  }

  /** Takes `n` tokens now and returns how long (ms) the caller must wait before using them; 0 when free. */
  reserve(n = 1): number {
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1_000);
  }

  /** Resolves when `n` tokens are the caller's. */
  async take(n = 1): Promise<void> {
    const wait = this.reserve(n);
    if (wait > 0) await this.clock.sleep(wait);
  }

  /** Tokens available now (negative while callers are waiting on a debt). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1_000);
      this.updatedAt = now;
    }
  }
}
