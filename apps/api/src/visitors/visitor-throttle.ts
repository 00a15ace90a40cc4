import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError, ErrorCode } from '@bousai/domain';
import { REDIS, type Redis } from '@bousai/queue';

/**
 * Visitor subscriptions are public: each change (subscribe, change, remove) takes a point of the client address's
 * budget in Redis, as logins do (`LoginThrottle`, the same library). `consume` is one atomic Redis operation, so N
 * parallel requests get exactly the budget, whichever replica answers them.
 */
@Injectable()
export class VisitorThrottle {
  private readonly byAddress: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: ApiConfig) {
    this.byAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.QUEUE_PREFIX}:visitor:addr`,
      points: config.VISITOR_RATE_LIMIT,
      duration: config.VISITOR_RATE_LIMIT_SECONDS,
    });
  }

  async consume(address: string): Promise<void> {
    try {
      await this.byAddress.consume(address);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) {
        // without its counters the limit cannot hold: refuse rather than go unguarded
        throw new DomainError(
          ErrorCode.Unavailable,
          'Visitor subscriptions are unavailable; try again shortly',
        );
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new DomainError(
        ErrorCode.TooManyAttempts,
        `Too many visitor subscription requests from this address; try again in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }
}
