import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type Env } from '@bousai/config';
import { ObservabilityModule } from '@bousai/observability';
import { PersistenceModule, postgresReadiness } from '@bousai/persistence';
import { RedisModule, redisReadiness } from '@bousai/queue';

/**
 * The fanout process. `forRoot` validates the environment when called, so `main.ts` can report a bad
 * configuration before anything connects; tests pass their own environment.
 */
@Module({})
export class FanoutModule {
  static forRoot(env?: Env): DynamicModule {
    return {
      module: FanoutModule,
      imports: [
        ConfigModule.forApp('fanout', env),
        PersistenceModule,
        RedisModule,
        ObservabilityModule.forApp('fanout', { readiness: [postgresReadiness, redisReadiness] }),
      ],
    };
  }
}
