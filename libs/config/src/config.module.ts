import { Global, Module, type DynamicModule } from '@nestjs/common';
import { loadConfig, type Env } from './load-config';
import type { AppName } from './schema';

/** Injection token for the validated config object of the running app. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Validates at module creation: a bad environment stops boot before anything connects. */
  static forApp(app: AppName, env?: Env): DynamicModule {
    const config = loadConfig(app, env);
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }

  /** For tests and tools that already hold a config object. */
  static withValue(config: object): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
