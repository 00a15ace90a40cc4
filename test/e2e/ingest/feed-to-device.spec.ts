import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { Role } from '@bousai/domain';
import { FakeJmaFeedServer, ReceiverSimulator, type ReceiverCredentials } from '@bousai/testing';
import { createIngestApp } from '../../../apps/ingest/src/create-ingest-app';
import { municipalityRelayKey, relaySignature } from '../../../apps/ingest/src/jalert/relay-signature';
import { JmaFeedPoller } from '../../../apps/ingest/src/jma/jma-feed.poller';
import { jmaFixture } from '../../integration/ingest/ingest-harness';
import { dataOf, eventually, type Stack, startStack } from '../fanout/support/fanout-stack';

// four apps' worth of work in one process on a busy CI box; the latency is printed, never asserted
jest.setTimeout(120_000);

const RELAY_SECRET = 'relay-secret-for-the-feed-to-device-test-0123';
const JALERT = path.resolve(__dirname, '../../fixtures/jalert');

/**
 * The whole chain, each part real: a JMA telegram on a local feed server (or a J-ALERT message posted to the
 * relay) → ingest stores and parses it → the municipality's feed rules make an alert → the fanout sends it →
 * the fake FCM and the simulated household receivers get it.
 */
describe('from a feed to the devices', () => {
  let sut: Stack;
  let ingest: INestApplication;
  let feed: FakeJmaFeedServer;
  let sim: ReceiverSimulator | undefined;
  const tokens = { yasugi: [] as string[], hamada: [] as string[] };
  const receivers: (ReceiverCredentials & { id: string })[] = [];

  async function residentsWithApps(municipalityId: string, areaId: string, n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const residentId = await sut.seed.resident(municipalityId, {
        householdId: await sut.seed.household(municipalityId, areaId),
      });
      const endpointId = await sut.seed.fcm(municipalityId, residentId);
      const [row] = await sut.api.db.dataSource.query<{ address: string }[]>(
        `SELECT address FROM endpoint WHERE id = $1`,
        [endpointId],
      );
      out.push(row.address);
    }
    return out;
  }

  beforeAll(async () => {
    sut = await startStack({ fanout: { RECEIVER_ACK_TIMEOUT_MS: '3000' } });
    feed = await FakeJmaFeedServer.start();
    const yasugi = sut.api.tenants[0].municipalityId;
    const db = sut.api.db.dataSource;
    const [{ id: hamada }] = await db.query<{ id: string }[]>(
      `INSERT INTO municipality (code, name, jma_city_codes) VALUES ('322024', '浜田市', '{3220200}') RETURNING id`,
    );
    tokens.yasugi = await residentsWithApps(
      yasugi,
      await sut.seed.area(yasugi, { jmaCityCode: '3220600' }),
      4,
    );
    tokens.hamada = await residentsWithApps(
      hamada,
      await sut.seed.area(hamada, { jmaCityCode: '3220200' }),
      3,
    );
    const areaId = await sut.seed.area(yasugi, { jmaCityCode: '3220600' });
    for (let i = 0; i < 3; i++) {
      const res = await sut.api.http
        .post(`/v1/municipalities/${yasugi}/receivers`)
        .set(...(await sut.auth(Role.Operator)))
        .send({ householdId: await sut.seed.household(yasugi, areaId) });
      receivers.push(res.body as ReceiverCredentials & { id: string });
    }
    sim = await ReceiverSimulator.start({ url: sut.url, devices: receivers });

    ingest = await createIngestApp(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: sut.api.db.url,
        DATABASE_POOL_SIZE: '5',
        REDIS_URL: sut.fanoutEnv.REDIS_URL,
        QUEUE_PREFIX: sut.prefix,
        JMA_POLL_ENABLED: 'false',
        JMA_FEED_BASE_URL: feed.baseUrl,
        JMA_FEEDS: 'extra',
        JALERT_RELAY_SECRET: RELAY_SECRET,
      },
      {},
      { logger: false },
    );
    await ingest.init();
    // Redis connects in the background after boot (the relay's replay cache needs it): wait as a load balancer would
    await eventually(
      async () => (await request(ingest.getHttpServer()).get('/readyz')).status === 200,
      10_000,
    );
  });
  afterAll(async () => {
    sim?.close();
    await ingest?.close();
    await feed?.close();
    await sut?.close();
  });

  /** Signed with the installation key, or as one municipality with its own relay key. */
  function relay(body: Buffer, contentType: string, municipalityCode?: string) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = municipalityCode ? municipalityRelayKey(RELAY_SECRET, municipalityCode) : RELAY_SECRET;
    const req = request(ingest.getHttpServer())
      .post('/v1/jalert')
      .set('content-type', contentType)
      .set('x-bousai-timestamp', timestamp)
      .set('x-bousai-signature', relaySignature(key, timestamp, body));
    if (municipalityCode) req.set('x-bousai-municipality', municipalityCode);
    return req.send(body.toString('utf8'));
  }

  const received = (token: string) => sut.fcm.server.receivedFor(token).map((r) => dataOf(r).title);

  it('a J-ALERT missile message posted to the relay reaches every receiver and app in the town, without approval', async () => {
    const body = readFileSync(path.join(JALERT, 'ballistic-missile_launch_actual.json'));
    const posted = Date.now();
    const res = await relay(body, 'application/json');
    expect(res.status).toBe(202);

    await eventually(() => receivers.every((r) => sim!.device(r.serial).received.length > 0), 60_000);
    const allReceivers = Date.now() - posted;
    await eventually(() => tokens.yasugi.every((t) => received(t).length > 0), 60_000);
    console.log(`J-ALERT relay POST → every household receiver: ${allReceivers} ms`);

    for (const r of receivers) expect(sim!.device(r.serial).received[0].title).toMatch(/ミサイル/);
    for (const t of tokens.yasugi) expect(received(t)).toEqual([expect.stringMatching(/ミサイル/)]);
    // 浜田市 is not in the message's areas
    for (const t of tokens.hamada) expect(received(t)).toEqual([]);
  });

  it('a Shimane heavy-rain special warning on the JMA feed is polled, parsed and sent to the town it names', async () => {
    feed.publishFile('extra', jmaFixture('weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml'));
    const before = new Map(tokens.yasugi.map((t) => [t, received(t).length]));
    const reports = await ingest.get(JmaFeedPoller).pollOnce();
    expect(reports.map((r) => [r.feed, r.result, r.fetched])).toEqual([['extra', 'fetched', 1]]);

    // 浜田市 is under a 大雨特別警報: the Yasugi defaults send it without approval
    await eventually(() => tokens.hamada.every((t) => received(t).length > 0), 60_000);
    for (const t of tokens.hamada) expect(received(t)[0]).toMatch(/特別警報/);
    // 安来市 has only advisories in that telegram: nothing new for it
    for (const t of tokens.yasugi) expect(received(t).length).toBe(before.get(t));
    const [doc] = await sut.api.db.dataSource.query<{ parse_status: string; kind: string }[]>(
      `SELECT parse_status, kind FROM feed_document WHERE feed_name = 'extra'`,
    );
    expect(doc.parse_status).toBe('parsed');
  });

  it('the hostile CAP document from the feed fixtures is refused with a code, kept, and ingest carries on', async () => {
    const hostile = readFileSync(path.resolve(jmaFixture('.'), '../cap/cap12_hostile_xxe.xml'));
    // relayed by 安来市's integration (the api harness's first municipality), with its own key
    const res = await relay(hostile, 'application/xml', '322067');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('XML_DOCTYPE_FORBIDDEN');
    const [doc] = await sut.api.db.dataSource.query<{ parse_status: string; parse_error_code: string }[]>(
      `SELECT parse_status, parse_error_code FROM feed_document WHERE id = $1`,
      [res.body.error.details.documentId],
    );
    expect(doc).toEqual({ parse_status: 'failed', parse_error_code: 'XML_DOCTYPE_FORBIDDEN' });
    expect((await request(ingest.getHttpServer()).get('/readyz')).status).toBe(200);

    // its operators see it, with its code, without the hostile bytes; the other municipality's do not
    const failures = await sut.api.http
      .get('/v1/feed-documents/failures')
      .set(...(await sut.auth(Role.Operator)));
    expect(failures.status).toBe(200);
    expect(failures.body[0]).toMatchObject({
      id: res.body.error.details.documentId,
      source: 'jalert',
      parseErrorCode: 'XML_DOCTYPE_FORBIDDEN',
    });
    expect(JSON.stringify(failures.body)).not.toContain('ENTITY');
    const elsewhere = await sut.api.http
      .get('/v1/feed-documents/failures')
      .set(...(await sut.auth(Role.Operator, sut.api.tenants[1])));
    expect(elsewhere.status).toBe(200);
    expect((elsewhere.body as { id: string }[]).map((f) => f.id)).not.toContain(
      res.body.error.details.documentId,
    );
    expect((await sut.api.http.get('/v1/feed-documents/failures')).status).toBe(401);
  });
});
