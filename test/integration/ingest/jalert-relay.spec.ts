import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { FeedDocumentRepository } from '@bousai/persistence';
import { JAlertRelayController } from '../../../apps/ingest/src/jalert/jalert-relay.controller';
import { municipalityRelayKey, relaySignature } from '../../../apps/ingest/src/jalert/relay-signature';
import {
  HOSTILE_TELEGRAM,
  type IngestHarness,
  jmaFixture,
  RELAY_SECRET,
  startIngest,
} from './ingest-harness';

const FIXTURES = path.resolve(__dirname, '../../fixtures/jalert');
const missile = readFileSync(path.join(FIXTURES, 'ballistic-missile_launch_actual.json'));
const VXSE53 = readFileSync(jmaFixture('earthquake/vxse53_20210217230627_s1_real.xml'));

const now = (): string => String(Math.floor(Date.now() / 1000));

/** The installation's one municipality (made if none yet): it sees relay failures signed with the shared key. */
async function onlyMunicipality(db: IngestHarness['db']): Promise<string> {
  const rows = await db.dataSource.query<{ id: string }[]>(`SELECT id::text AS id FROM municipality`);
  if (rows.length > 1) throw new Error('this file assumes an installation of one municipality');
  if (rows.length === 1) return rows[0].id;
  const [made] = await db.dataSource.query<{ id: string }[]>(
    `INSERT INTO municipality (code, name) VALUES ('322067', '安来市') RETURNING id::text AS id`,
  );
  return made.id;
}

describe(JAlertRelayController.name, () => {
  let ingest: IngestHarness;

  beforeAll(async () => {
    ingest = await startIngest();
  });

  afterAll(async () => {
    await ingest.close();
  });

  /** A POST /v1/jalert signed like a receiver integration would; overrides break one part at a time. */
  function post(
    body: Buffer | string,
    opts: {
      contentType?: string;
      timestamp?: string;
      signature?: string | null;
      secret?: string;
      municipality?: string;
    } = {},
  ) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const timestamp = opts.timestamp ?? now();
    const req = request(ingest.app.getHttpServer())
      .post('/v1/jalert')
      .set('content-type', opts.contentType ?? 'application/json')
      .set('x-bousai-timestamp', timestamp);
    const signature =
      opts.signature === undefined
        ? relaySignature(opts.secret ?? RELAY_SECRET, timestamp, bytes)
        : opts.signature;
    if (signature !== null) req.set('x-bousai-signature', signature);
    if (opts.municipality !== undefined) req.set('x-bousai-municipality', opts.municipality);
    // superagent would serialise a Buffer under a JSON content type: send the exact text instead
    return req.send(bytes.toString('utf8'));
  }

  const count = async (): Promise<number> =>
    Number((await ingest.db.dataSource.query(`SELECT count(*)::int AS n FROM feed_document`))[0].n);

  it('accepts a signed 国民保護 message: stored raw, parsed, answered 202 with the document id', async () => {
    const res = await post(missile);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      status: 'accepted',
      documentId: expect.any(String),
      kind: 'jalert.ballistic_missile',
    });

    const doc = await ingest.app.get(FeedDocumentRepository).findById(res.body.documentId);
    expect(doc).toMatchObject({ source: 'jalert', parseStatus: 'parsed', kind: 'jalert.ballistic_missile' });
    expect(doc?.body.equals(missile)).toBe(true);
    expect(doc?.message).toMatchObject({ source: 'jalert', status: { isActual: true } });
  });

  it("attributes a message signed with a municipality's relay key to it, and refuses any other key for it", async () => {
    const [m] = await ingest.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('322067', '安来市') RETURNING id`,
    );
    const key = municipalityRelayKey(RELAY_SECRET, '322067');
    const body = '{"id":"relay-attribution","not":"a valid message"}';
    const res = await post(body, { municipality: '322067', secret: key });
    expect(res.status).toBe(400);
    const [row] = await ingest.db.dataSource.query<{ municipality_id: string | null }[]>(
      `SELECT municipality_id FROM feed_document WHERE id = $1`,
      [res.body.error.details.documentId],
    );
    expect(row.municipality_id).toBe(m.id);

    // the installation key, another municipality's key, or a code nobody serves do not speak for it
    const other = municipalityRelayKey(RELAY_SECRET, '322016');
    expect((await post(body, { municipality: '322067' })).body.error.code).toBe('SIGNATURE_INVALID');
    expect((await post(body, { municipality: '322067', secret: other })).body.error.code).toBe(
      'SIGNATURE_INVALID',
    );
    const unknown = await post(body, { municipality: '322016', secret: other });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('MUNICIPALITY_INVALID');
    expect((await post(body, { municipality: 'yasugi', secret: key })).body.error.code).toBe(
      'MUNICIPALITY_INVALID',
    );
  });

  it('accepts a signed JMA XML telegram', async () => {
    const res = await post(VXSE53, { contentType: 'application/xml; charset=utf-8' });
    expect(res.status).toBe(202);
    expect(res.body.kind).toMatch(/^earthquake/);
  });

  it('answers a repeat of the same bytes (signed anew) as a duplicate and stores nothing', async () => {
    const body = readFileSync(path.join(FIXTURES, 'air-attack_actual.json'));
    const first = await post(body);
    expect(first.status).toBe(202);
    const before = await count();

    const again = await post(body, { timestamp: String(Number(now()) + 1) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      status: 'duplicate',
      documentId: first.body.documentId,
      parseStatus: 'parsed',
    });
    expect(await count()).toBe(before);
  });

  it('refuses missing, wrong and stale signatures and replays with 401 and a code, storing nothing', async () => {
    const body = readFileSync(path.join(FIXTURES, 'guerrilla-special-forces_actual.json'));
    const before = await count();

    const missing = await post(body, { signature: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('SIGNATURE_MISSING');

    const wrongKey = await post(body, { secret: 'another-secret-0123456789-0123456789-xyz' });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error.code).toBe('SIGNATURE_INVALID');

    const tampered = await post(body, { signature: relaySignature(RELAY_SECRET, now(), Buffer.from('{}')) });
    expect(tampered.body.error.code).toBe('SIGNATURE_INVALID');

    const stale = await post(body, { timestamp: String(Number(now()) - 301) });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('TIMESTAMP_STALE');

    const future = await post(body, { timestamp: String(Number(now()) + 301) });
    expect(future.body.error.code).toBe('TIMESTAMP_STALE');

    expect(await count()).toBe(before);

    const timestamp = now();
    const accepted = await post(body, { timestamp });
    expect(accepted.status).toBe(202);
    const replayed = await post(body, { timestamp });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('SIGNATURE_REPLAYED');
    expect(await count()).toBe(before + 1);
  });

  it('stores a malformed or invalid message and answers 400 with the parser’s code and the document id', async () => {
    const malformed = await post('{"id": "x", "type": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({
      code: 'JALERT_JSON_MALFORMED',
      details: { documentId: expect.any(String) },
    });

    const invalid = await post(JSON.stringify({ id: 'x', type: 'earthquake', status: 'actual' }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('JALERT_SCHEMA_INVALID');
    expect(invalid.body.error.details.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'type' }),
        expect.objectContaining({ path: 'areaCodes' }),
      ]),
    );

    const repo = ingest.app.get(FeedDocumentRepository);
    const stored = await repo.findById(malformed.body.error.details.documentId);
    expect(stored).toMatchObject({
      source: 'jalert',
      parseStatus: 'failed',
      parseErrorCode: 'JALERT_JSON_MALFORMED',
    });
    expect(stored?.body.toString('utf8')).toBe('{"id": "x", "type": ');
  });

  it('refuses a hostile XML document in the parser and keeps it with its error', async () => {
    const res = await post(HOSTILE_TELEGRAM, { contentType: 'application/xml' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('XML_DOCTYPE_FORBIDDEN');
    const stored = await ingest.app.get(FeedDocumentRepository).findById(res.body.error.details.documentId);
    expect(stored).toMatchObject({ parseStatus: 'failed', parseErrorCode: 'XML_DOCTYPE_FORBIDDEN' });
  });

  it('refuses other media types with 415 and bodies over the cap with 413', async () => {
    const text = await post('ミサイル発射情報', { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const cap = ingest.app.get<IngestConfig>(APP_CONFIG).FEED_MAX_BYTES;
    const big = await post(Buffer.alloc(cap + 1, 0x20));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('counts requests by outcome', async () => {
    const metrics = (await request(ingest.app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(/ingest_jalert_relay_requests_total\{outcome="parsed",app="ingest"\} \d+/);
    expect(metrics).toMatch(
      /ingest_jalert_relay_requests_total\{outcome="SIGNATURE_REPLAYED",app="ingest"\} 1/,
    );
    expect(metrics).toMatch(
      /ingest_feed_documents_total\{source="jalert",outcome="duplicate",app="ingest"\} 1/,
    );
  });

  describe('a message that can never be stored as text', () => {
    const withText = (text: string): string =>
      missile.toString('utf8').replace(/"text": "[^"]*"/, `"text": ${text}`);
    const cases: [string, Buffer | string, string, string][] = [
      [
        'a NUL escape in a J-ALERT text',
        withText('"ミサイル\\u0000発射"'),
        'application/json',
        'JALERT_TEXT_INVALID',
      ],
      [
        'a lone surrogate in a J-ALERT text',
        withText('"ミサイル\\ud800"'),
        'application/json',
        'JALERT_TEXT_INVALID',
      ],
      [
        'a NUL byte in JMA XML',
        Buffer.from(VXSE53.toString('utf8').replace('<Title>', '<Title>\u0000'), 'utf8'),
        'application/xml',
        'XML_MALFORMED',
      ],
      [
        'a character reference to a lone surrogate in JMA XML',
        VXSE53.toString('utf8').replace('<Title>', '<Title>&#xD800;'),
        'application/xml',
        'XML_MALFORMED',
      ],
    ];

    it.each(cases)(
      '%s: 400 with a code, the document failed and listed among the failures',
      async (_, body, contentType, code) => {
        const res = await post(body, { contentType });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe(code);
        const repo = ingest.app.get(FeedDocumentRepository);
        const documentId = res.body.error.details.documentId as string;
        const stored = await repo.findById(documentId);
        expect(stored).toMatchObject({ parseStatus: 'failed', parseErrorCode: code });
        // nothing accepted is lost: the exact bytes come back
        expect(stored?.body.equals(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)).toBe(true);
        expect(
          (await repo.recentFailures(100, await onlyMunicipality(ingest.db))).map((f) => f.id),
        ).toContain(documentId);

        // a retry, signed anew, is told the same at once and changes nothing
        const again = await post(body, { contentType, timestamp: String(Number(now()) + 1) });
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ status: 'duplicate', documentId, parseStatus: 'failed' });
      },
    );
  });
});

describe('J-ALERT relay when handling a stored message fails', () => {
  it('keeps the stored body pending, and handles it when the sender retries', async () => {
    let failing = true;
    const ingest = await startIngest(
      {},
      {
        messageSink: {
          accept: () => (failing ? Promise.reject(new Error('rules unavailable')) : Promise.resolve()),
        },
      },
    );
    try {
      const send = (timestamp: string) =>
        request(ingest.app.getHttpServer())
          .post('/v1/jalert')
          .set('content-type', 'application/json')
          .set('x-bousai-timestamp', timestamp)
          .set('x-bousai-signature', relaySignature(RELAY_SECRET, timestamp, missile))
          .send(missile.toString('utf8'));
      const first = await send(now());
      expect(first.status).toBe(503);
      expect(first.body.error.code).toBe('UNAVAILABLE');
      const [row] = await ingest.db.dataSource.query(`SELECT id, parse_status FROM feed_document`);
      expect(row.parse_status).toBe('pending');

      failing = false;
      const retry = await send(String(Number(now()) + 1));
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ status: 'duplicate', documentId: row.id, parseStatus: 'parsed' });
    } finally {
      await ingest.close();
    }
  });
});

describe('J-ALERT relay when the database refuses a parsed message', () => {
  it('records the document failed and answers 400: a retry would fail the same way', async () => {
    const late: { db?: IngestHarness['db'] } = {};
    const ingest = await startIngest(
      {},
      // the values of the message are what Postgres refuses (SQLSTATE 22P02), not the connection
      {
        messageSink: {
          accept: () => late.db!.dataSource.query(`SELECT 'ミサイル'::int`).then(() => undefined),
        },
      },
    );
    late.db = ingest.db;
    try {
      const timestamp = now();
      const res = await request(ingest.app.getHttpServer())
        .post('/v1/jalert')
        .set('content-type', 'application/json')
        .set('x-bousai-timestamp', timestamp)
        .set('x-bousai-signature', relaySignature(RELAY_SECRET, timestamp, missile))
        .send(missile.toString('utf8'));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MESSAGE_UNSTORABLE');
      const repo = ingest.app.get(FeedDocumentRepository);
      expect(
        (await repo.recentFailures(10, await onlyMunicipality(ingest.db))).map((f) => [
          f.id,
          f.parseErrorCode,
        ]),
      ).toEqual([[res.body.error.details.documentId, 'MESSAGE_UNSTORABLE']]);
    } finally {
      await ingest.close();
    }
  });
});

describe('J-ALERT relay without a secret', () => {
  it('is switched off: 503 RELAY_DISABLED', async () => {
    const ingest = await startIngest({ JALERT_RELAY_SECRET: '' });
    try {
      const res = await request(ingest.app.getHttpServer())
        .post('/v1/jalert')
        .set('content-type', 'application/json')
        .send(missile);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('RELAY_DISABLED');
    } finally {
      await ingest.close();
    }
  });
});
