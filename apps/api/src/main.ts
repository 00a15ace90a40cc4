import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, ConfigError, type ApiConfig } from '@bousai/config';
import { AppModule } from './app.module';
import { buildOpenApi, configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureApp(app);
  SwaggerModule.setup('docs', app, buildOpenApi(app));
  const config = app.get<ApiConfig>(APP_CONFIG);
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`api listening on http://${config.HOST}:${config.PORT} (docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
