import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, ConfigError, type IngestConfig } from '@bousai/config';
import { createIngestApp } from './create-ingest-app';

async function bootstrap(): Promise<void> {
  const app = await createIngestApp(undefined, {}, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  const config = app.get<IngestConfig>(APP_CONFIG);
  await app.listen(config.PORT, config.HOST);
  logger.log(`ingest listening on ${await app.getUrl()}`, 'Bootstrap');
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
