import {
  Global,
  Module,
  RequestMethod,
  type DynamicModule,
  type InjectionToken,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppName, type BaseConfig } from '@bousai/config';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { pinoHttpOptions } from './logger.options';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { OBSERVED_APP } from './observability.tokens';
import { ReadinessRegistry } from './readiness.registry';

/**
 * A readiness check declared by the library that owns the dependency (`postgresReadiness` in
 * `@bousai/persistence`, `redisReadiness` in `@bousai/queue`) and wired by the app. The owner needs no import of
 * this library: the shape is structural. `check` receives the resolved `inject` tokens, in order.
 */
export interface ReadinessCheckDefinition {
  readonly name: string;
  readonly inject?: readonly InjectionToken[];
  readonly check: (...deps: never[]) => Promise<void>;
}

export interface ObservabilityOptions {
  /** Checks behind `GET /readyz`. More can be added at boot with `ReadinessRegistry.register`. */
  readiness?: readonly ReadinessCheckDefinition[];
  /**
   * Routes left out of the request log: device-facing routes a storm of phones calls once each, whose record is
   * the row they write and whose per-request log (request id, child logger, line) would cost more than the rest
   * of the request (docs/performance.md, "One ack per request"). They are still timed and counted by route and
   * status in `/metrics`, and a 5xx is still logged by the error filter.
   */
  unlogged?: readonly { path: string; method: RequestMethod }[];
}

/**
 * Logs (pino JSON, request ids, redaction), metrics (`GET /metrics`) and health (`GET /healthz`, `GET /readyz`)
 * for one app. Import once, in the app's root module, after `ConfigModule.forApp`.
 */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  static forApp(app: AppName, options: ObservabilityOptions = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: BaseConfig) => ({
            pinoHttp: pinoHttpOptions({ app, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY }),
            ...(options.unlogged?.length ? { exclude: [...options.unlogged] } : {}),
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OBSERVED_APP, useValue: app },
        MetricsService,
        ReadinessRegistry,
        ...(options.readiness ?? []).map(readinessProvider),
      ],
      exports: [MetricsService, ReadinessRegistry],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}

/** Registers the check while the container builds, so it is in place before the app listens. */
function readinessProvider(def: ReadinessCheckDefinition): Provider {
  const check = def.check as (...deps: unknown[]) => Promise<void>;
  return {
    provide: `bousai:readiness:${def.name}`,
    inject: [ReadinessRegistry, ...(def.inject ?? [])],
    useFactory: (registry: ReadinessRegistry, ...deps: unknown[]) => {
      registry.register(def.name, () => check(...deps));
      return def.name;
    },
  };
}
