import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createIngestApp } from '../../../apps/ingest/src/create-ingest-app';
import { relaySignature } from '../../../apps/ingest/src/jalert/relay-signature';
import { RELAY_SECRET } from '../../integration/ingest/ingest-harness';

/**
 * The ingest app in process, on the api's database and queue prefix (JMA polling off), ready: a JMA telegram
 * posted to its relay endpoint goes through the real parse, the feed rules and their drafts.
 */
export async function startIngest(databaseUrl: string, queuePrefix: string): Promise<INestApplication> {
  const ingest = await createIngestApp(
    {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '5',
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      JMA_POLL_ENABLED: 'false',
      JALERT_RELAY_SECRET: RELAY_SECRET,
    },
    {},
    { logger: false },
  );
  await ingest.init();
  for (let i = 0; i < 100 && (await request(ingest.getHttpServer()).get('/readyz')).status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return ingest;
}

/** Posts a JMA XML telegram to the ingest's relay endpoint, signed as the relay signs it. */
export function relayTelegram(ingest: INestApplication, xml: string) {
  const bytes = Buffer.from(xml, 'utf8');
  const timestamp = String(Math.floor(Date.now() / 1000));
  return request(ingest.getHttpServer())
    .post('/v1/jalert')
    .set('content-type', 'application/xml')
    .set('x-bousai-timestamp', timestamp)
    .set('x-bousai-signature', relaySignature(RELAY_SECRET, timestamp, bytes))
    .send(xml);
}
