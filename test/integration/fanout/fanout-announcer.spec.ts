import { Redis } from 'ioredis';
import { Channel } from '@bousai/domain';
import { createRedisClient, FanoutPresence } from '@bousai/queue';
import { testQueuePrefix } from '@bousai/testing';
import { ChannelRegistry } from '../../../apps/fanout/src/channels/channel-registry';
import { FanoutAnnouncer } from '../../../apps/fanout/src/channels/fanout-announcer';
import { eventually, RecordingAdapter, REDIS_URL } from './support/fanout-harness';

jest.setTimeout(30_000);

/** A renewal period no test waits for: whatever the reader sees came from the connection's `ready`. */
const HOUR_MS = 3_600_000;

/**
 * A fanout boots before its Redis connection is up (the connection is opened in the background), so its first
 * try to announce finds none. The announcement must follow the connection at once, not a renewal period later
 * (meanwhile the api's preview reports the fanout's channels as unserved).
 */
describe(`${FanoutAnnouncer.name}: announces when the connection is ready`, () => {
  const prefix = testQueuePrefix();
  let redis: Redis;
  let reader: FanoutPresence;
  let readerRedis: Redis;
  let announcer: FanoutAnnouncer;

  beforeAll(() => {
    // the fanout's client as the app creates it: lazy, so not connected at bootstrap
    redis = createRedisClient(REDIS_URL);
    readerRedis = new Redis(REDIS_URL);
    reader = new FanoutPresence(readerRedis, prefix);
    const channels = new ChannelRegistry([
      new RecordingAdapter(Channel.Fcm),
      new RecordingAdapter(Channel.Receiver),
    ]);
    announcer = new FanoutAnnouncer(new FanoutPresence(redis, prefix), channels, redis, HOUR_MS);
  });
  afterAll(async () => {
    await announcer.onModuleDestroy();
    redis.disconnect();
    readerRedis.disconnect();
  });

  it('announces as soon as the connection comes up, though its first try at bootstrap found none', async () => {
    announcer.onApplicationBootstrap();
    // the first try has run (it is scheduled at once) and found no connection
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await reader.servedChannels()).toEqual(new Set());

    await redis.connect();
    await eventually(async () => (await reader.servedChannels()).size > 0);
    expect(await reader.servedChannels()).toEqual(new Set([Channel.Receiver, Channel.Fcm]));
  });

  it('announces again after a reconnect (a restarted Redis may have lost the key)', async () => {
    await readerRedis.del(`${prefix}:fanout:${announcer.instanceId}`);
    expect(await reader.servedChannels()).toEqual(new Set());
    redis.disconnect(true);
    await eventually(async () => (await reader.servedChannels()).has(Channel.Fcm));
    expect(redis.status).toBe('ready');
  });

  it('withdraws at shutdown', async () => {
    await announcer.onModuleDestroy();
    expect(await reader.servedChannels()).toEqual(new Set());
    expect(await readerRedis.exists(`${prefix}:fanouts`)).toBe(0);
  });
});
