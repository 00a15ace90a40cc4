import { NestFactory } from '@nestjs/core';
import { Channel } from '@bousai/domain';
import { MissingProcessorError } from '@bousai/queue';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '@bousai/testing';
import { ChannelRegistry } from '../../../apps/fanout/src/channels/channel-registry';
import { FanoutModule } from '../../../apps/fanout/src/fanout.module';
import { FanoutWorkers } from '../../../apps/fanout/src/workers/fanout-workers';
import { dropQueueKeys, REDIS_URL } from './support/fanout-harness';

jest.setTimeout(30_000);

describe(`${FanoutModule.name} wiring`, () => {
  let db: TestDatabase;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await dropQueueKeys(prefix);
    await db.drop();
  });

  async function boot(env: Record<string, string>) {
    const app = await NestFactory.create(
      FanoutModule.forRoot({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: db.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        ...env,
      }),
      { logger: false },
    );
    await app.init();
    return app;
  }

  it.each([
    ['receiver', [Channel.Receiver]],
    ['fcm,receiver', [Channel.Receiver, Channel.Fcm]],
    ['line,fcm', [Channel.Fcm, Channel.Line]],
  ])('wires the real senders FANOUT_CHANNELS=%s names, each with a worker', async (channels, expected) => {
    const app = await boot({
      FANOUT_CHANNELS: channels,
      FCM_PROJECT_ID: 'bousai-test',
      LINE_CHANNEL_ACCESS_TOKEN: 'line-token',
    });
    try {
      expect(app.get(ChannelRegistry).channels()).toEqual(expected);
      const workers = app.get(FanoutWorkers);
      expect(workers.contracts().map((c) => `${c.queue}/${c.name}`)).toEqual([
        'alert-plan/alert.plan',
        'alert-cancel/alert.cancel',
        'alert-publish/alert.publish',
        ...expected.map((c) => `delivery-${c}/delivery.send-batch`),
      ]);
    } finally {
      await app.close();
    }
  });

  it('refuses to boot when a job it may cause has no processor', async () => {
    const app = await NestFactory.create(
      FanoutModule.forRoot(
        { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: prefix },
        { adapters: [] },
      ),
      { logger: false },
    );
    const workers = app.get(FanoutWorkers);
    jest.spyOn(workers, 'processors').mockReturnValue([]);
    await expect(app.init()).rejects.toThrow(MissingProcessorError);
    await app.close();
  });
});
