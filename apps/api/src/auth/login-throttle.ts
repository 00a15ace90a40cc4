import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError, ErrorCode } from '@bousai/domain';
import { REDIS } from '@bousai/queue';

/** Without its counters the throttle cannot protect accounts, so logins wait for Redis rather than go unguarded. */
function unavailable(): never {
  throw new DomainError(
    ErrorCode.Unavailable,
    'Login is temporarily unavailable (rate-limit store unreachable); try again shortly',
  );
}

/**
 * Failed logins are counted per account and per client address in Redis (shared by every api replica).
 * Past the limit, logins are refused until the window passes, even with the right password.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly maxFailures: number;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: ApiConfig) {
    this.maxFailures = config.LOGIN_MAX_FAILURES;
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

  async assertAllowed(account: string, address: string): Promise<void> {
    const [a, b] = await Promise.all([
      this.byAccount.get(account.toLowerCase()),
      this.byAddress.get(address),
    ]).catch(unavailable);
    const blocked = [a, b].find(
      (r) => r && r.consumedPoints > (r === a ? this.maxFailures : this.maxFailures * 4) - 1,
    );
    if (blocked) throw this.tooMany(blocked);
  }

  async recordFailure(account: string, address: string): Promise<void> {
    await Promise.all([
      this.byAccount.penalty(account.toLowerCase(), 1),
      this.byAddress.penalty(address, 1),
    ]).catch(unavailable);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.byAccount.delete(account.toLowerCase()).catch(unavailable);
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
