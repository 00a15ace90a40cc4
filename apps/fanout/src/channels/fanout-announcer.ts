import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import type { Channel } from '@bousai/domain';
import { FANOUT_PRESENCE_TTL_MS, FanoutPresence, REDIS, type Redis } from '@bousai/queue';
import { PeriodicTask } from '../workers/periodic-task';
import { ChannelRegistry } from './channel-registry';

/** How often the announcement is renewed (a third of its TTL); a provider of this token overrides it (tests). */
export const PRESENCE_RENEW_MS = Symbol('PRESENCE_RENEW_MS');

/** After a failed try with the connection up (a transient error), the next one comes this soon, not a period later. */
const RETRY_MS = 500;

/**
 * Announces the channels this process sends on (`FanoutPresence`), from bootstrap to shutdown, so the api's preview
 * and every planner know which channels some fanout serves. It announces as soon as the Redis connection is ready
 * (at boot, and again after every reconnect: a restarted Redis may have lost the key), then renews every period.
 */
@Injectable()
export class FanoutAnnouncer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanoutAnnouncer.name);
  readonly instanceId = randomUUID();
  private readonly task: PeriodicTask;
  private lastError: string | undefined;
  private readonly onReady = () => this.task.wake();

  constructor(
    private readonly presence: FanoutPresence,
    private readonly channels: ChannelRegistry,
    @Inject(REDIS) private readonly redis: Redis,
    @Optional() @Inject(PRESENCE_RENEW_MS) renewMs: number = FANOUT_PRESENCE_TTL_MS / 3,
  ) {
    this.task = new PeriodicTask('fanout-presence', renewMs, () => this.announce(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.redis.on('ready', this.onReady);
    this.task.start();
  }

  /** Resolves to the delay before the next try: the period after a success, soon after a failure. */
  private async announce(): Promise<boolean | number> {
    // not connected yet (or reconnecting): the connection's `ready` wakes the task, nothing to try before that
    if (this.redis.status !== 'ready') return false;
    try {
      await this.presence.announce(this.instanceId, this.channels.channels());
      if (this.lastError !== undefined) this.logger.log('fanout announced again');
      this.lastError = undefined;
      return false;
    } catch (err) {
      // say so once per reason, keep trying
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.lastError) {
        this.logger.warn({ err }, 'could not announce this fanout; retrying');
        this.lastError = message;
      }
      return RETRY_MS;
    }
  }

  /**
   * The channels some running fanout sends on: the announced ones and this process's own (it is running, even
   * while its announcement has not reached Redis yet).
   */
  async served(): Promise<Set<Channel>> {
    const served = await this.presence.servedChannels();
    for (const c of this.channels.channels()) served.add(c);
    return served;
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.off('ready', this.onReady);
    await this.task.stop();
    await this.presence.withdraw(this.instanceId).catch((err: unknown) => {
      // the key expires on its own within the TTL
      this.logger.warn({ err }, 'could not withdraw the fanout announcement');
    });
  }
}
