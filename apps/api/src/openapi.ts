import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { buildOpenApi, configureApp } from './configure-app';

/**
 * `write` regenerates openapi.json at the repository root; `check` fails when the committed file differs from
 * what the code declares. Runs in preview mode: no database or Redis connection is opened.
 */
async function main(mode: string | undefined): Promise<number> {
  // the document does not depend on the environment, and preview mode signs nothing with the development key
  const app = await NestFactory.create(AppModule.forRoot({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  configureApp(app);
  const doc = `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  const file = join(process.cwd(), 'openapi.json');
  if (mode === 'write') {
    writeFileSync(file, doc);
    console.log(`wrote ${file}`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as drift */
  }
  if (committed === doc) {
    console.log('openapi.json is up to date');
    return 0;
  }
  console.error('openapi.json differs from the code: run `npm run openapi:generate` and commit it');
  return 1;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
