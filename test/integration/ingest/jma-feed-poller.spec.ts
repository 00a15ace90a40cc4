import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { FeedDocumentRepository } from '@bousai/persistence';
import { REDIS } from '@bousai/queue';
import { FakeJmaFeedServer } from '@bousai/testing';
import { DocumentIntakeUseCase } from '../../../apps/ingest/src/intake/document-intake.use-case';
import type { FeedMessageSink, IntakeMessage } from '../../../apps/ingest/src/intake/feed-message.sink';
import { JmaFeedPoller } from '../../../apps/ingest/src/jma/jma-feed.poller';
import { HOSTILE_TELEGRAM, type IngestHarness, jmaFixture, startIngest } from './ingest-harness';

const VXSE53 = jmaFixture('earthquake/vxse53_20210217230627_s1_real.xml');
const VXSE51 = jmaFixture('earthquake/vxse51_20210217230627_real.xml');
const VXSE52 = jmaFixture('earthquake/vxse52_20210217230627_real.xml');
const VPWW54 = jmaFixture('weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml');
const EQVOL_FILES = [
  'earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml',
  'earthquake/vxse53_20080614084350_s3_cancel.xml',
  'eew/vxse43_20240417231454_s1_bungo-channel.xml',
  'eew/vxse44_20240417231454_s1.xml',
  'eew/vxse44_20240417231454_s10.xml',
  'eew/vxse45_20240417231454_s9.xml',
  'tsunami/vtse41_20231009052500_advisory_real.xml',
  'volcano/vfvo50_hakone_20200522_level5.xml',
].map(jmaFixture);

interface Row {
  id: string;
  entry_id: string;
  parse_status: string;
  parse_error_code: string | null;
  kind: string | null;
  feed_name: string;
}

describe(JmaFeedPoller.name, () => {
  let fake: FakeJmaFeedServer;
  let ingest: IngestHarness;
  let sut: JmaFeedPoller;

  async function boot(options: Parameters<typeof startIngest>[1] = {}): Promise<void> {
    ingest = await startIngest({ JMA_FEED_BASE_URL: fake.baseUrl, JMA_FEEDS: 'eqvol,extra' }, options);
    sut = ingest.app.get(JmaFeedPoller);
  }

  const rows = (): Promise<Row[]> =>
    ingest.db.dataSource.query(
      `SELECT id, entry_id, parse_status, parse_error_code, kind, feed_name FROM feed_document ORDER BY entry_updated_at`,
    );
  const metrics = async (): Promise<string> =>
    (await request(ingest.app.getHttpServer()).get('/metrics')).text;

  beforeEach(async () => {
    fake = await FakeJmaFeedServer.start({ highFrequencyLimit: 3 });
  });

  afterEach(async () => {
    await ingest?.close();
    await fake.close();
  });

  it('fetches each telegram once across several polls, sending If-Modified-Since and taking 304s', async () => {
    await boot();
    const a = fake.publishFile('eqvol', VXSE53);
    const b = fake.publishFile('eqvol', VXSE51);
    const c = fake.publishFile('extra', VPWW54);

    const first = await sut.pollOnce();
    expect(first.map((r) => [r.feed, r.result, r.fetched])).toEqual([
      ['eqvol', 'fetched', 2],
      ['extra', 'fetched', 1],
    ]);
    const second = await sut.pollOnce();
    expect(second.map((r) => r.result)).toEqual(['not_modified', 'not_modified']);

    const d = fake.publishFile('eqvol', VXSE52);
    const third = await sut.pollOnce();
    expect(third.map((r) => [r.feed, r.result, r.fetched])).toEqual([
      ['eqvol', 'fetched', 1],
      ['extra', 'not_modified', 0],
    ]);

    for (const entry of [a, b, c, d]) expect(fake.requestCount(entry.url)).toBe(1);
    expect(fake.statuses(fake.feedUrl('eqvol'))).toEqual([200, 304, 200]);
    expect(fake.statuses(fake.feedUrl('extra'))).toEqual([200, 304, 304]);
    const conditional = fake.requests.filter((r) => r.path.endsWith('/eqvol.xml'));
    expect(conditional[0].ifModifiedSince).toBeUndefined();
    expect(conditional[1].ifModifiedSince).toBe(b.updated.toUTCString());
    expect(conditional[1].ifNoneMatch).toBeDefined();

    const stored = await rows();
    expect(stored.map((r) => [r.entry_id, r.feed_name, r.parse_status])).toEqual([
      [a.url, 'eqvol', 'parsed'],
      [b.url, 'eqvol', 'parsed'],
      [c.url, 'extra', 'parsed'],
      [d.url, 'eqvol', 'parsed'],
    ]);
    expect(stored[0].kind).toMatch(/^earthquake/);
    // the raw bytes are kept exactly, and the parsed message beside them
    const doc = await ingest.app.get(FeedDocumentRepository).findById(stored[0].id);
    expect(doc?.body.equals(readFileSync(VXSE53))).toBe(true);
    expect(doc?.message).toMatchObject({ source: 'jma', format: 'jmaxml' });

    const text = await metrics();
    expect(text).toMatch(/ingest_feed_documents_total\{source="jma_pull",outcome="parsed",app="ingest"\} 4/);
    expect(text).toMatch(/ingest_jma_feed_lag_seconds\{feed="eqvol",app="ingest"\} \d+/);
    expect(text).toMatch(/ingest_jma_feed_polls_total\{feed="extra",result="not_modified",app="ingest"\} 2/);
  });

  it('stores a telegram that fails to parse with the parser’s error code, beside the good ones', async () => {
    await boot();
    const hostile = fake.publish('eqvol', HOSTILE_TELEGRAM, 'VXSE53_010000.xml', {
      title: '震源・震度に関する情報',
    });
    const truncated = fake.publish('eqvol', readFileSync(VXSE51).subarray(0, 400), 'VXSE51_010000.xml', {
      title: '震度速報',
    });
    const good = fake.publishFile('eqvol', VXSE53);

    const [report] = await sut.pollOnce();
    expect(report).toMatchObject({ result: 'fetched', fetched: 3, failed: 0 });
    const byEntry = new Map((await rows()).map((r) => [r.entry_id, r]));
    expect(byEntry.get(hostile.url)).toMatchObject({
      parse_status: 'failed',
      parse_error_code: 'XML_DOCTYPE_FORBIDDEN',
    });
    expect(byEntry.get(truncated.url)).toMatchObject({
      parse_status: 'failed',
      parse_error_code: 'XML_MALFORMED',
    });
    expect(byEntry.get(good.url)).toMatchObject({ parse_status: 'parsed' });

    const repo = ingest.app.get(FeedDocumentRepository);
    const stored = await repo.findById(byEntry.get(hostile.url)!.id);
    expect(stored?.body.toString('utf8')).toBe(HOSTILE_TELEGRAM);
    expect(stored?.parseError).toMatch(/DOCTYPE/);
    // national feeds: every municipality's operators see their failures
    expect((await repo.recentFailures(10, randomUUID())).map((f) => f.parseErrorCode).sort()).toEqual([
      'XML_DOCTYPE_FORBIDDEN',
      'XML_MALFORMED',
    ]);
    expect(await metrics()).toMatch(
      /ingest_feed_parse_errors_total\{source="jma_pull",code="XML_DOCTYPE_FORBIDDEN",app="ingest"\} 1/,
    );
    // a failed parse is final: the telegram is not fetched again
    await sut.pollOnce();
    expect(fake.requestCount(hostile.url)).toBe(1);
  });

  it('stores the raw telegram before the message is handled: a failing sink leaves it pending, and it is processed later', async () => {
    let failing = true;
    const accepted: string[] = [];
    const sink: FeedMessageSink = {
      accept(documentId: string, message: IntakeMessage) {
        if (failing) return Promise.reject(new Error('rules unavailable'));
        accepted.push(`${documentId}:${message.kind}`);
        return Promise.resolve();
      },
    };
    await boot({ messageSink: sink });
    const entry = fake.publishFile('eqvol', VXSE53);

    const [report] = await sut.pollOnce();
    expect(report).toMatchObject({ result: 'fetched', failed: 1 });
    const [row] = await rows();
    expect(row).toMatchObject({ entry_id: entry.url, parse_status: 'pending' });
    const repo = ingest.app.get(FeedDocumentRepository);
    expect((await repo.findById(row.id))?.body.equals(readFileSync(VXSE53))).toBe(true);

    // the next poll does not fetch it again (it is stored); the stored bytes are processed instead
    await sut.pollOnce();
    expect(fake.requestCount(entry.url)).toBe(1);
    failing = false;
    const result = await ingest.app.get(DocumentIntakeUseCase).reprocess(row.id);
    expect(result).toMatchObject({ outcome: 'parsed', documentId: row.id });
    expect(accepted).toEqual([expect.stringMatching(new RegExp(`^${row.id}:earthquake`))]);
  });

  it('back-fills from the long-term feed when the high-frequency feed no longer reaches the last stored entry', async () => {
    await boot();
    const before = EQVOL_FILES.slice(0, 2).map((f) => fake.publishFile('eqvol', f));
    await sut.pollOnce();
    expect(fake.requestCount(fake.feedUrl('eqvol', true))).toBe(0);

    // downtime: six telegrams, of which the high-frequency feed keeps only the last three
    const during = EQVOL_FILES.slice(2).map((f) => fake.publishFile('eqvol', f));
    const [report] = await sut.pollOnce();
    expect(report).toMatchObject({ result: 'fetched', backfilled: true, fetched: 6, failed: 0 });
    expect(fake.requestCount(fake.feedUrl('eqvol', true))).toBe(1);

    const stored = await rows();
    expect(stored.map((r) => r.entry_id)).toEqual([...before, ...during].map((e) => e.url));
    for (const e of [...before, ...during]) expect(fake.requestCount(e.url)).toBe(1);

    // back in step: the high-frequency feed reaches back again, so the long-term feed is left alone
    fake.publishFile('eqvol', VXSE53);
    const [next] = await sut.pollOnce();
    expect(next).toMatchObject({ backfilled: false, fetched: 1 });
    expect(fake.requestCount(fake.feedUrl('eqvol', true))).toBe(1);
    expect(await metrics()).toMatch(/ingest_jma_backfills_total\{feed="eqvol",app="ingest"\} 1/);
  });

  it('fetches the current telegrams when the long-term feed fails, and back-fills at a later poll', async () => {
    await boot();
    EQVOL_FILES.slice(0, 2).forEach((f) => fake.publishFile('eqvol', f));
    await sut.pollOnce();
    const during = EQVOL_FILES.slice(2).map((f) => fake.publishFile('eqvol', f));
    fake.fail(fake.feedUrl('eqvol', true), 503, 1);

    const t0 = Date.now();
    const [first] = await sut.pollOnce(() => t0);
    expect(first).toMatchObject({ result: 'fetched', backfilled: false, fetched: 3 });
    // the long-term feed is not asked for again at once
    const [second] = await sut.pollOnce(() => t0 + 1_000);
    expect(second).toMatchObject({ backfilled: false, fetched: 0 });
    expect(fake.requestCount(fake.feedUrl('eqvol', true))).toBe(1);

    const [third] = await sut.pollOnce(() => t0 + 61_000);
    expect(third).toMatchObject({ result: 'fetched', backfilled: true, fetched: 3 });
    expect((await rows()).map((r) => r.entry_id)).toEqual(expect.arrayContaining(during.map((e) => e.url)));
    expect(await rows()).toHaveLength(8);
    for (const e of during) expect(fake.requestCount(e.url)).toBe(1);
  });

  it('refuses a hostile Atom feed, counts it, and carries on once the feed is sound again', async () => {
    await boot();
    const entry = fake.publishFile('eqvol', VXSE53);
    fake.overrideFeed(
      'eqvol.xml',
      `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><feed xmlns="http://www.w3.org/2005/Atom"><id>&b;</id></feed>`,
    );
    const [bad] = await sut.pollOnce();
    expect(bad).toMatchObject({ feed: 'eqvol', result: 'error' });
    expect(bad.error).toMatch(/DOCTYPE/);
    expect(fake.requestCount(entry.url)).toBe(0);
    expect(await metrics()).toMatch(
      /ingest_feed_parse_errors_total\{source="jma_pull_feed",code="XML_DOCTYPE_FORBIDDEN",app="ingest"\} 1/,
    );

    fake.overrideFeed('eqvol.xml', null);
    const [good] = await sut.pollOnce();
    expect(good).toMatchObject({ result: 'fetched', fetched: 1 });
  });

  it('fetches a telegram again at the next poll when it failed, and stores it once', async () => {
    await boot();
    const entry = fake.publishFile('eqvol', VXSE53);
    fake.fail(entry.url, 500, 1);

    const [first] = await sut.pollOnce();
    expect(first).toMatchObject({ result: 'fetched', fetched: 0, failed: 1 });
    const [second] = await sut.pollOnce();
    // the feed is read in full again (no validators were kept), so the failed telegram is listed again
    expect(second).toMatchObject({ result: 'fetched', fetched: 1, failed: 0 });
    expect(fake.statuses(entry.url)).toEqual([500, 200]);
    expect(fake.statuses(fake.feedUrl('eqvol'))).toEqual([200, 200]);
    expect((await rows()).map((r) => r.entry_id)).toEqual([entry.url]);
    expect(await metrics()).toMatch(
      /ingest_jma_fetch_errors_total\{feed="eqvol",reason="http_500",app="ingest"\} 1/,
    );
  });

  it('leaves a failing feed alone for a while after repeated failures', async () => {
    await boot();
    fake.publishFile('eqvol', VXSE53);
    fake.fail(fake.feedUrl('eqvol'), 503, 2);

    const t0 = Date.now();
    expect((await sut.pollOnce(() => t0))[0].result).toBe('error');
    expect((await sut.pollOnce(() => t0))[0].result).toBe('error');
    // two failures in a row: one poll interval (60 s by default) without requests
    expect((await sut.pollOnce(() => t0 + 1_000))[0].result).toBe('backing_off');
    expect(fake.requestCount(fake.feedUrl('eqvol'))).toBe(2);
    expect((await sut.pollOnce(() => t0 + 61_000))[0]).toMatchObject({ result: 'fetched', fetched: 1 });
  });

  it('skips a feed another ingest process is polling (a lock in Redis), and polls it once the lock is gone', async () => {
    await boot();
    const entry = fake.publishFile('eqvol', VXSE53);
    const redis = ingest.app.get<Redis>(REDIS);
    const key = `${ingest.app.get<IngestConfig>(APP_CONFIG).QUEUE_PREFIX}:ingest:jma-poll:eqvol`;
    await redis.set(key, 'another-process', 'PX', 60_000);

    const locked = await sut.pollOnce();
    expect(locked.map((r) => [r.feed, r.result])).toEqual([
      ['eqvol', 'locked'],
      ['extra', 'fetched'],
    ]);
    expect(fake.requestCount(fake.feedUrl('eqvol'))).toBe(0);
    // our own lock is released after each poll: only the foreign one blocked it
    expect(await redis.exists(`${key.slice(0, -'eqvol'.length)}extra`)).toBe(0);

    await redis.del(key);
    expect((await sut.pollOnce())[0]).toMatchObject({ feed: 'eqvol', result: 'fetched', fetched: 1 });
    expect(fake.requestCount(entry.url)).toBe(1);
  });
});
