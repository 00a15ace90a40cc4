import type { INestApplication } from '@nestjs/common';
import * as path from 'node:path';
import request from 'supertest';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '@bousai/testing';
import { createIngestApp } from '../../../apps/ingest/src/create-ingest-app';
import type { IngestModuleOptions } from '../../../apps/ingest/src/ingest.module';

export const RELAY_SECRET = 'relay-secret-for-tests-0123456789-abcdef';

export interface IngestHarness {
  app: INestApplication;
  db: TestDatabase;
  close(): Promise<void>;
}

/** Boots ingest in process against a private database and Redis prefix; the poller is driven by the test. */
export async function startIngest(
  env: Record<string, string> = {},
  options: IngestModuleOptions = {},
): Promise<IngestHarness> {
  const db = await createTestDatabase();
  const app = await createIngestApp(
    {
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '5',
      QUEUE_PREFIX: testQueuePrefix(),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      JMA_POLL_ENABLED: 'false',
      JALERT_RELAY_SECRET: RELAY_SECRET,
      ...env,
    },
    options,
    { logger: false },
  );
  await app.init();
  // Redis connects in the background after boot; wait for readiness like a load balancer would
  const http = request(app.getHttpServer());
  for (let i = 0; i < 100 && (await http.get('/readyz')).status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** A real JMA telegram of test/fixtures/feeds/jmaxml (read only; origin and terms in its SOURCES.md). */
export function jmaFixture(relative: string): string {
  return path.join(__dirname, '../../fixtures/feeds/jmaxml', relative);
}

/** A telegram with a DOCTYPE and an external entity (XXE): the parser must refuse it without expanding it. */
export const HOSTILE_TELEGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Report [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/">
  <Control><Title>&xxe;</Title><DateTime>2026-11-24T00:00:00Z</DateTime><Status>通常</Status>
  <EditorialOffice>気象庁本庁</EditorialOffice><PublishingOffice>気象庁</PublishingOffice></Control>
</Report>
`;
