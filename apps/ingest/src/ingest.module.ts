import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type Env } from '@bousai/config';
import { ObservabilityModule } from '@bousai/observability';
import { PersistenceModule, postgresReadiness } from '@bousai/persistence';
import { RedisModule, redisReadiness } from '@bousai/queue';

/**
 * The ingest process. `forRoot` validates the environment when called, so `main.ts` can report a bad
 * configuration before anything connects; tests pass their own environment.
 */
@Module({})
export class IngestModule {
  static forRoot(env?: Env): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ConfigModule.forApp('ingest', env),
        PersistenceModule,
        RedisModule,
        ObservabilityModule.forApp('ingest', { readiness: [postgresReadiness, redisReadiness] }),
      ],
    };
  }
}
