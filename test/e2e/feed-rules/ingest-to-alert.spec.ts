import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@bousai/config';
import { PersistenceModule } from '@bousai/persistence';
import { testQueuePrefix } from '@bousai/testing';
import { relaySignature } from '../../../apps/ingest/src/jalert/relay-signature';
import type { FeedMessageSink, IntakeMessage } from '../../../apps/ingest/src/intake/feed-message.sink';
import { FeedRulesIngestModule } from '../../../apps/ingest/src/rules/feed-rules-ingest.module';
import { RulesFeedMessageSink } from '../../../apps/ingest/src/rules/rules-feed-message.sink';
import {
  type IngestHarness,
  jmaFixture,
  RELAY_SECRET,
  startIngest,
} from '../../integration/ingest/ingest-harness';

const JALERT = path.resolve(__dirname, '../../fixtures/jalert');
const jalert = (name: string) => readFileSync(path.join(JALERT, name));

/** Ingest booted in process with the rules behind its sink (what FeedRulesIngestModule provides). */
describe('ingest → feed rules → alerts', () => {
  let ingest: IngestHarness;
  let yasugi: string;
  let sink: FeedMessageSink | undefined;
  let rules: INestApplicationContext;

  beforeAll(async () => {
    // the harness makes the database, so the sink is built once it exists
    const lazy: FeedMessageSink = { accept: (id: string, m: IntakeMessage) => sink!.accept(id, m) };
    ingest = await startIngest({}, { messageSink: lazy });
    const ds = ingest.db.dataSource;
    // resolved through FeedRulesIngestModule's own providers, as IngestModule will once it binds the sink
    @Module({
      imports: [
        ConfigModule.forApp('ingest', {
          DATABASE_URL: ingest.db.url,
          DATABASE_POOL_SIZE: '5',
          QUEUE_PREFIX: testQueuePrefix(),
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
          JALERT_RELAY_SECRET: RELAY_SECRET,
        }),
        PersistenceModule,
        FeedRulesIngestModule,
      ],
    })
    class RulesContext {}
    rules = await NestFactory.createApplicationContext(RulesContext, { logger: false });
    sink = rules.get(RulesFeedMessageSink);
    const [m] = await ds.query(
      `INSERT INTO municipality (code, name, jma_city_codes, jma_quake_area_codes, jma_tsunami_area_codes, jma_eew_area_codes)
       VALUES ('322067', '安来市', '{3220600}', '{570}', '{550}', '{570}') RETURNING id`,
    );
    yasugi = m.id;
  });

  afterAll(async () => {
    await rules.close();
    await ingest.close();
  });

  function relay(bytes: Buffer, contentType = 'application/json') {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return request(ingest.app.getHttpServer())
      .post('/v1/jalert')
      .set('content-type', contentType)
      .set('x-bousai-timestamp', timestamp)
      .set('x-bousai-signature', relaySignature(RELAY_SECRET, timestamp, bytes))
      .send(bytes.toString('utf8'));
  }

  const alerts = () =>
    ingest.db.dataSource.query(
      `SELECT id, status, source, is_drill AS "isDrill", template_key AS "templateKey", texts
         FROM alert WHERE municipality_id = $1 ORDER BY created_at`,
      [yasugi],
    );

  it('a J-ALERT missile message is sent to 安来市 without approval; its 取消 cancels it', async () => {
    expect((await relay(jalert('ballistic-missile_launch_actual.json'))).status).toBe(202);
    const [sent] = await alerts();
    expect(sent).toMatchObject({
      status: 'dispatching',
      source: 'jalert',
      isDrill: false,
      templateKey: 'feed_jalert',
    });

    expect((await relay(jalert('ballistic-missile_launch_cancel.json'))).status).toBe(202);
    expect((await alerts())[0]).toMatchObject({ id: sent.id, status: 'cancelled' });
  });

  it('the nationwide test makes nothing; an exercise makes a drill alert', async () => {
    const before = (await alerts()).length;
    await relay(jalert('nationwide-test.json'));
    expect(await alerts()).toHaveLength(before);

    await relay(jalert('ballistic-missile_launch_exercise.json'));
    const all = await alerts();
    expect(all).toHaveLength(before + 1);
    expect(all[before]).toMatchObject({ isDrill: true, status: 'dispatching' });
    expect(all[before].texts.ja.title.startsWith('【訓練】')).toBe(true);
  });

  it('a JMA telegram relayed as XML (VPWW55 Shimane) waits for approval; the same telegram again adds nothing', async () => {
    const before = (await alerts()).length;
    const xml = readFileSync(jmaFixture('weather/vpww55_shimane_20241102_r06-heavy-rain.xml'));

    expect((await relay(xml, 'application/xml')).status).toBe(202);
    await relay(xml, 'application/xml');

    const all = await alerts();
    expect(all).toHaveLength(before + 1);
    expect(all[before]).toMatchObject({ status: 'pending_approval', source: 'jma' });
  });
});
