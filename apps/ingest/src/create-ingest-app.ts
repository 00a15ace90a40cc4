import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Env } from '@bousai/config';
import { IngestModule, type IngestModuleOptions } from './ingest.module';

/**
 * Creates the ingest app, for `main.ts` and tests alike. The body parser is off: the J-ALERT relay signs the
 * exact bytes it sends, so its controller reads the raw body itself (and nothing else in ingest takes a body).
 */
export function createIngestApp(
  env?: Env,
  options: IngestModuleOptions = {},
  appOptions: NestApplicationOptions = {},
): Promise<INestApplication> {
  return NestFactory.create(IngestModule.forRoot(env, options), { ...appOptions, bodyParser: false });
}
