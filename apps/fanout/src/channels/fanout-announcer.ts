import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Channel } from '@bousai/domain';
import { FANOUT_PRESENCE_TTL_MS, FanoutPresence } from '@bousai/queue';
import { PeriodicService } from '../workers/periodic-task';
import { ChannelRegistry } from './channel-registry';

/**
 * Announces the channels this process sends on (`FanoutPresence`), from bootstrap to shutdown, so the api's preview
 * and every planner know which channels some fanout serves.
 */
@Injectable()
export class FanoutAnnouncer extends PeriodicService {
  private readonly logger = new Logger(FanoutAnnouncer.name);
  readonly instanceId = randomUUID();
  private lastError: string | undefined;
  private failures = 0;

  constructor(
    private readonly presence: FanoutPresence,
    private readonly channels: ChannelRegistry,
  ) {
    super();
    this.runEvery('fanout-presence', FANOUT_PRESENCE_TTL_MS / 3, () => this.announce(), this.logger);
  }

  private async announce(): Promise<void> {
    try {
      await this.presence.announce(this.instanceId, this.channels.channels());
      if (this.lastError !== undefined) this.logger.log('fanout announced again');
      this.lastError = undefined;
      this.failures = 0;
    } catch (err) {
      // Redis away: say so once per reason, keep trying every period. The first try at boot usually runs before
      // the connection is up, which is not worth a warning.
      this.failures++;
      const message = err instanceof Error ? err.message : String(err);
      if (this.failures > 1 && message !== this.lastError) {
        this.logger.warn({ err }, 'could not announce this fanout; retrying');
        this.lastError = message;
      }
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

  override async onModuleDestroy(): Promise<void> {
    await super.onModuleDestroy();
    await this.presence.withdraw(this.instanceId).catch((err: unknown) => {
      // the key expires on its own within the TTL
      this.logger.warn({ err }, 'could not withdraw the fanout announcement');
    });
  }
}
