import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { buildOpenApi, configureApp } from './configure-app';
import { operationsWithoutSuccessSchema } from './openapi-document';

/**
 * `write` regenerates openapi.json at the repository root; `check` fails when the committed file differs from
 * what the code declares. Both fail when an operation documents no success body (a 2xx with a content schema, or a
 * 204), naming each. Runs in preview mode: no database or Redis connection is opened.
 */
async function main(mode: string | undefined): Promise<number> {
  // the document does not depend on the environment, and preview mode signs nothing with the development key
  const app = await NestFactory.create(AppModule.forRoot({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  configureApp(app);
  const openApi = buildOpenApi(app);
  const missing = operationsWithoutSuccessSchema(openApi);
  for (const op of missing) {
    console.error(`${op}: no success response with a schema (declare @ApiOkResponse({ type }) or similar)`);
  }
  const doc = `${JSON.stringify(openApi, null, 2)}\n`;
  const file = join(process.cwd(), 'openapi.json');
  if (mode === 'write') {
    writeFileSync(file, doc);
    console.log(`wrote ${file}`);
    return missing.length > 0 ? 1 : 0;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as drift */
  }
  if (committed === doc) {
    if (missing.length > 0) return 1;
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
