import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { REDIS, type Redis } from '@bousai/queue';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One poll of a feed at a time across every ingest process, so several copies do not fetch each telegram
 * several times (JMA asks for polite clients). The lock lapses on its own if its holder dies. When Redis is
 * away the poll goes ahead unlocked: a duplicate fetch is harmless (storage is idempotent), a missed alert is not.
 */
@Injectable()
export class FeedPollLock {
  private readonly logger = new Logger(FeedPollLock.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: IngestConfig,
  ) {}

  /** Runs `poll` if no other process is polling `feed`; resolves to null when another one is. */
  async withLock<T>(feed: string, poll: () => Promise<T>): Promise<T | null> {
    const key = `${this.config.QUEUE_PREFIX}:ingest:jma-poll:${feed}`;
    const token = randomUUID();
    let held = false;
    try {
      held = (await this.redis.set(key, token, 'PX', this.config.JMA_POLL_INTERVAL_MS, 'NX')) === 'OK';
      if (!held) return null;
    } catch (err) {
      this.logger.warn({ feed, err }, 'poll lock unavailable; polling unlocked');
    }
    try {
      return await poll();
    } finally {
      if (held) {
        await this.redis.eval(RELEASE, 1, key, token).catch((err: unknown) => {
          this.logger.warn({ feed, err }, 'poll lock not released; it lapses on its own');
        });
      }
    }
  }
}
