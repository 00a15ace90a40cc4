import type { Redis } from 'ioredis';
import { Channel } from '@bousai/domain';

/** How long an announcement lasts without a renewal; fanouts renew it every third of that. */
export const FANOUT_PRESENCE_TTL_MS = 15_000;

const CHANNELS: ReadonlySet<string> = new Set(Object.values(Channel));

/**
 * Which channels the running fanout processes send on. Each fanout announces itself in Redis under its own key
 * with a TTL (`<prefix>:fanout:<instance>` → its channels) and renews it while it runs; the set
 * `<prefix>:fanouts` indexes the instances so a reader never SCANs the keyspace. A fanout that dies simply stops
 * renewing and drops out when its key expires: Redis's clock decides, so hosts with skewed clocks agree. Redis,
 * not a Postgres lease, because a fanout without Redis cannot take a job anyway: being announced there and being
 * able to send go together, and expiry needs no sweeping of rows.
 */
export class FanoutPresence {
  /** `prefix`: `QUEUE_PREFIX`, so deployments (and test files) sharing a Redis do not see each other. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(instanceId: string): string {
    return `${this.prefix}:fanout:${instanceId}`;
  }

  private get index(): string {
    return `${this.prefix}:fanouts`;
  }

  async announce(
    instanceId: string,
    channels: readonly Channel[],
    ttlMs = FANOUT_PRESENCE_TTL_MS,
  ): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(instanceId), JSON.stringify({ channels }), 'PX', ttlMs)
      .sadd(this.index, instanceId)
      .exec();
  }

  /** A fanout shutting down leaves at once instead of when its key expires. */
  async withdraw(instanceId: string): Promise<void> {
    await this.redis.multi().del(this.key(instanceId)).srem(this.index, instanceId).exec();
  }

  /** The channels at least one live fanout sends on. Instances whose key expired are removed from the index. */
  async servedChannels(): Promise<Set<Channel>> {
    const ids = await this.redis.smembers(this.index);
    const served = new Set<Channel>();
    if (ids.length === 0) return served;
    const values = await this.redis.mget(ids.map((id) => this.key(id)));
    const gone: string[] = [];
    values.forEach((value, i) => {
      if (value === null) {
        gone.push(ids[i]);
        return;
      }
      for (const c of parseChannels(value)) served.add(c);
    });
    if (gone.length > 0) await this.redis.srem(this.index, ...gone);
    return served;
  }
}

function parseChannels(value: string): Channel[] {
  try {
    const parsed = JSON.parse(value) as { channels?: unknown };
    return Array.isArray(parsed.channels)
      ? parsed.channels.filter((c): c is Channel => typeof c === 'string' && CHANNELS.has(c))
      : [];
  } catch {
    return [];
  }
}
