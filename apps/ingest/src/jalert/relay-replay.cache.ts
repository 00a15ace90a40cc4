import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { REDIS, type Redis } from '@bousai/queue';

/**
 * Signatures seen within the replay window, in Redis so every ingest instance shares them. A signature is kept
 * for twice the window: a timestamp may be up to one window in the future and one in the past.
 */
@Injectable()
export class RelayReplayCache {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: IngestConfig,
  ) {}

  /** True the first time a signature is presented, false for every later presentation within the window. */
  async firstUse(signature: string): Promise<boolean> {
    const key = `${this.config.QUEUE_PREFIX}:jalert:replay:${signature}`;
    const set = await this.redis.set(key, '1', 'EX', this.config.JALERT_REPLAY_WINDOW_SECONDS * 2, 'NX');
    return set === 'OK';
  }
}
