import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type BaseConfig } from '@bousai/config';
import { FanoutPresence } from './fanout-presence';

/** The shared client's type, for code that is handed it (`@Inject(REDIS)`): ioredis is this library's to import. */
export type { Redis } from 'ioredis';

/** Injection token for the app's shared ioredis client (commands, locks, socket.io emitter; not BullMQ workers). */
export const REDIS = Symbol('REDIS');

/**
 * The shared client fails fast while Redis is away (no offline queue, one attempt per command), so readiness
 * answers at once and callers see the outage instead of piling up commands. BullMQ workers need the opposite
 * (`maxRetriesPerRequest: null`, blocking commands) and get their own connections.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    // how long a closing socket may linger before it is destroyed; shutdown should not wait on a dead Redis
    disconnectTimeout: 500,
    connectionName: 'bousai',
  });
}

/** Opens the connection at init and closes it at shutdown; reconnects in between are ioredis's own. */
@Injectable()
export class RedisConnection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Redis');
  private lastError: string | undefined;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onModuleInit(): void {
    this.redis.on('error', (err: Error) => {
      // ioredis emits this on every reconnect attempt: log when the reason changes, not each retry
      if (err.message === this.lastError) return;
      this.lastError = err.message;
      this.logger.warn({ err }, 'redis connection error');
    });
    this.redis.on('ready', () => {
      if (this.lastError !== undefined) this.logger.log('redis connection restored');
      this.lastError = undefined;
    });
    // Boot does not wait for Redis: the app serves /readyz (503) until it connects, retrying meanwhile.
    this.redis.connect().catch((err: unknown) => {
      this.logger.warn({ err }, 'redis not reachable at boot; retrying in the background');
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch (err) {
        // the connection dropped while quitting: disconnect below closes what is left
        this.logger.warn({ err }, 'redis quit failed; disconnecting');
      }
    }
    this.redis.disconnect();
  }
}

/** Readiness: a PING round-trip (`ObservabilityModule.forApp(app, { readiness: [redisReadiness] })`). */
export const redisReadiness = {
  name: 'redis',
  inject: [REDIS],
  check: async (redis: Redis): Promise<void> => {
    // without an offline queue a command fails at once anyway; this says why in words an operator reads
    if (redis.status !== 'ready') throw new Error(`connection is ${redis.status}`);
    await redis.ping();
  },
};

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: BaseConfig) => createRedisClient(config.REDIS_URL),
    },
    RedisConnection,
    {
      provide: FanoutPresence,
      inject: [REDIS, APP_CONFIG],
      useFactory: (redis: Redis, config: BaseConfig) => new FanoutPresence(redis, config.QUEUE_PREFIX),
    },
  ],
  exports: [REDIS, FanoutPresence],
})
export class RedisModule {}
