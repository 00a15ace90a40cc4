import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LineApiClient, LineChannelAdapter, TokenBucket } from '@bousai/channels';
import { AlertAction, Channel } from '@bousai/domain';
import { AlertRepository } from '@bousai/persistence';
import {
  createTestDatabase,
  FakeLineServer,
  FakeXServer,
  testQueuePrefix,
  type TestDatabase,
} from '@bousai/testing';
import { CancelAlertUseCase } from '../../../apps/fanout/src/cancel/cancel-alert.use-case';
import { FanoutModule } from '../../../apps/fanout/src/fanout.module';
import { PlanAlertUseCase } from '../../../apps/fanout/src/plan/plan-alert.use-case';
import {
  dropQueueKeys,
  eventually,
  FAST_FANOUT,
  RecordingAdapter,
  REDIS_URL,
  Seeder,
  waitForStatus,
} from './support/fanout-harness';

jest.setTimeout(60_000);

const LINE_TOKEN = 'line-token-for-tests';
const X = {
  apiKey: 'x-api-key',
  apiSecret: 'x-api-secret',
  accessToken: '1234-x-access-token',
  accessSecret: 'x-access-secret',
};

interface PublicationRow {
  target: string;
  status: string;
  attempts: number;
  text: string | null;
  providerId: string | null;
}

describe('public posts: LINE broadcast and X', () => {
  let db: TestDatabase;
  let prefix: string;
  let app: INestApplication;
  let seed: Seeder;
  let line: FakeLineServer;
  let x: FakeXServer;
  const fcm = new RecordingAdapter(Channel.Fcm);
  let mid: string;
  let areaId: string;
  let lineUser: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testQueuePrefix();
    seed = new Seeder(db);
    line = await FakeLineServer.start({ channelAccessToken: LINE_TOKEN });
    x = await FakeXServer.start(X);
    const lineAdapter = new LineChannelAdapter({
      client: new LineApiClient({
        baseUrl: line.url,
        channelAccessToken: LINE_TOKEN,
        requestTimeoutMs: 5_000,
      }),
      bucket: new TokenBucket(1_000, 100),
    });
    app = await NestFactory.create(
      FanoutModule.forRoot(
        {
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: db.url,
          REDIS_URL,
          QUEUE_PREFIX: prefix,
          ...FAST_FANOUT,
          LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
          LINE_API_BASE_URL: line.url,
          X_API_KEY: X.apiKey,
          X_API_SECRET: X.apiSecret,
          X_ACCESS_TOKEN: X.accessToken,
          X_ACCESS_SECRET: X.accessSecret,
          X_API_BASE_URL: x.url,
          PUBLIC_ALERT_URL: 'https://bousai.example.jp/alerts/{alertId}',
        },
        { adapters: [fcm, lineAdapter] },
      ),
      { logger: false },
    );
    await app.init();

    mid = await seed.municipality();
    await db.dataSource.query(`UPDATE municipality SET settings = $2 WHERE id = $1`, [
      mid,
      JSON.stringify({ publicPosts: { lineBroadcast: true, x: true } }),
    ]);
    areaId = await seed.area(mid);
    const rid = await seed.resident(mid, { householdId: await seed.household(mid, areaId) });
    await seed.fcm(mid, rid);
    lineUser = `U${randomBytes(16).toString('hex')}`;
    await db.dataSource.query(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address) VALUES ($1, $2, 'line', $3)`,
      [mid, rid, lineUser],
    );
  });
  afterAll(async () => {
    await app?.close();
    await dropQueueKeys(prefix);
    await line?.close();
    await x?.close();
    await db?.drop();
  });

  const publications = (alertId: string) =>
    db.dataSource.query<PublicationRow[]>(
      `SELECT target, status, attempts, text, provider_id AS "providerId" FROM publication
        WHERE alert_id = $1 ORDER BY target`,
      [alertId],
    );
  const posted = async (alertId: string, n: number) =>
    eventually(
      async () => (await publications(alertId)).filter((p) => p.status === 'posted').length === n,
      30_000,
    );

  it('posts an alert for the whole municipality once on each target, in place of a LINE multicast', async () => {
    const alertId = await seed.alert(mid, {
      targeting: { all: true },
      channels: [Channel.Fcm, Channel.Line],
    });
    await waitForStatus(db, alertId, 'sent');
    await posted(alertId, 2);

    const broadcasts = line.received.filter((r) => r.endpoint === 'broadcast');
    expect(broadcasts.map((b) => b.text)).toEqual([
      '避難指示\n\n直ちに避難してください。\nhttps://bousai.example.jp/alerts/' + alertId,
      'Evacuate\n\nEvacuate now.\nhttps://bousai.example.jp/alerts/' + alertId,
    ]);
    expect(line.received.filter((r) => r.endpoint === 'multicast')).toEqual([]);
    expect(x.posts.map((p) => p.text)).toEqual([
      `避難指示\n直ちに避難してください。\nhttps://bousai.example.jp/alerts/${alertId}`,
    ]);
    const rows = await publications(alertId);
    expect(rows.map((r) => [r.target, r.status, r.attempts])).toEqual([
      ['line_broadcast', 'posted', 1],
      ['x', 'posted', 1],
    ]);
    expect(rows.find((r) => r.target === 'x')!.providerId).toBe(x.posts[0].id);

    // planning again (a replayed job) posts nothing twice
    await app.get(PlanAlertUseCase).execute(alertId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(line.received.filter((r) => r.endpoint === 'broadcast')).toHaveLength(2);
    expect(x.posts).toHaveLength(1);
  });

  it('sends a targeted alert to linked LINE users by multicast, and publishes nothing', async () => {
    const before = { line: line.received.length, x: x.posts.length };
    const alertId = await seed.alert(mid, {
      targeting: { areaIds: [areaId] },
      channels: [Channel.Fcm, Channel.Line],
    });
    await waitForStatus(db, alertId, 'sent');

    expect(line.received.slice(before.line).map((r) => [r.endpoint, r.userId])).toEqual([
      ['multicast', lineUser],
    ]);
    expect(x.posts).toHaveLength(before.x);
    expect(await publications(alertId)).toEqual([]);
  });

  it('does not publish a drill unless the municipality asks for drills', async () => {
    const before = { line: line.received.length, x: x.posts.length };
    const alertId = await seed.alert(mid, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      isDrill: true,
    });
    await waitForStatus(db, alertId, 'sent');
    expect(await publications(alertId)).toEqual([]);
    expect([line.received.length, x.posts.length]).toEqual([before.line, before.x]);
  });

  it('retries a post the provider refused for now, and posts it once', async () => {
    line.fail({ kind: 'server-error', times: 1, status: 503 });
    x.fail({ kind: 'server-error', times: 1 });
    const alertId = await seed.alert(mid, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      texts: { ja: { title: '土砂災害警戒情報', body: '土砂災害の危険が高まっています。' } },
    });
    await posted(alertId, 2);
    const rows = await publications(alertId);
    expect(rows.map((r) => [r.target, r.status, r.attempts])).toEqual([
      ['line_broadcast', 'posted', 2],
      ['x', 'posted', 2],
    ]);
    expect(x.posts.filter((p) => p.text.startsWith('土砂災害警戒情報'))).toHaveLength(1);
    expect(line.received.filter((r) => r.text.startsWith('土砂災害警戒情報'))).toHaveLength(1);
  });

  it('publishes the cancellation notice wherever the cancelled alert was published, marked once', async () => {
    // a correction's title: its notice names the plain title, without the earlier marker
    const alertId = await seed.alert(mid, {
      targeting: { all: true },
      channels: [Channel.Fcm],
      texts: { ja: { title: '【訂正】津波警報', body: '直ちに高台へ避難してください。' } },
    });
    await posted(alertId, 2);
    await new AlertRepository(db.dataSource).transition(mid, alertId, AlertAction.Cancel, () => ({}));
    const { noticeAlertId } = await app.get(CancelAlertUseCase).execute(alertId);
    expect(noticeAlertId).toBeDefined();
    await posted(noticeAlertId!, 2);

    expect(x.posts.at(-1)!.text).toBe(
      `【取消】津波警報\n先ほどお知らせした「津波警報」は取り消されました。\nhttps://bousai.example.jp/alerts/${alertId}`,
    );
    expect(line.received.at(-1)!.text).toMatch(/^【取消】津波警報\n/);
  });
});
