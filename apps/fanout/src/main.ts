import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, ConfigError, type FanoutConfig } from '@bousai/config';
import { FanoutModule } from './fanout.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(FanoutModule.forRoot(), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  const config = app.get<FanoutConfig>(APP_CONFIG);
  await app.listen(config.PORT, config.HOST);
  logger.log(`fanout listening on ${await app.getUrl()}`, 'Bootstrap');
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
