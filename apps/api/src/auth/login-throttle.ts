import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError, ErrorCode } from '@bousai/domain';
import { REDIS, type Redis } from '@bousai/queue';

/** Without its counters the throttle cannot protect accounts, so logins wait for Redis rather than go unguarded. */
function unavailable(): never {
  throw new DomainError(
    ErrorCode.Unavailable,
    'Login is temporarily unavailable (rate-limit store unreachable); try again shortly',
  );
}

/**
 * Login attempts are counted per account and per client address in Redis (shared by every api replica).
 * Each attempt takes its point atomically *before* the password is checked, so a burst of parallel guesses
 * gets no more checks than a patient attacker: past the limit, logins are refused until the window passes,
 * even with the right password. A successful login gives its points back.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: ApiConfig) {
    const common = {
      storeClient: redis,
      duration: config.LOGIN_LOCK_SECONDS,
      blockDuration: config.LOGIN_LOCK_SECONDS,
    };
    this.byAccount = new RateLimiterRedis({
      ...common,
      keyPrefix: `${config.QUEUE_PREFIX}:login:acct`,
      points: config.LOGIN_MAX_FAILURES,
    });
    // an address may fail for several accounts (shared office NAT), but not endlessly
    this.byAddress = new RateLimiterRedis({
      ...common,
      keyPrefix: `${config.QUEUE_PREFIX}:login:addr`,
      points: config.LOGIN_MAX_FAILURES * 4,
    });
  }

  /** Takes one attempt from the account's and the address's budgets; refuses when either is spent. */
  async consumeAttempt(account: string, address: string): Promise<void> {
    const key = account.toLowerCase();
    const [acct, addr] = await Promise.allSettled([
      this.byAccount.consume(key),
      this.byAddress.consume(address),
    ]);
    const refusals = [acct, addr].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (refusals.length === 0) return;
    // a refused attempt checks no password, so it costs the other budget nothing
    await this.refund(acct.status === 'fulfilled' ? key : null, addr.status === 'fulfilled' ? address : null);
    if (refusals.some((r) => !(r instanceof RateLimiterRes))) unavailable();
    const longest = (refusals as RateLimiterRes[]).reduce((a, b) =>
      a.msBeforeNext >= b.msBeforeNext ? a : b,
    );
    throw this.tooMany(longest);
  }

  /** The right password: the account's failures are forgiven and the attempt is not held against the address. */
  async recordSuccess(account: string, address: string): Promise<void> {
    await Promise.all([
      this.byAccount.delete(account.toLowerCase()),
      this.byAddress.reward(address, 1),
    ]).catch(unavailable);
  }

  private async refund(account: string | null, address: string | null): Promise<void> {
    await Promise.all([
      account === null ? null : this.byAccount.reward(account, 1),
      address === null ? null : this.byAddress.reward(address, 1),
    ]).catch(unavailable);
  }

  private tooMany(res: RateLimiterRes): DomainError {
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new DomainError(
      ErrorCode.TooManyAttempts,
      `Too many failed logins; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}
