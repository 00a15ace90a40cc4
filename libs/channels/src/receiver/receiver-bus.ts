import { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { type Command, Redis } from 'ioredis';
import { type Server } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import { receiverAdapterKey } from './receiver-protocol';

/**
 * The adapter fires PUBLISH/SUBSCRIBE without awaiting them. With an offline queue and no retry limit they only
 * fail when the connection is torn down at shutdown; marking them handled keeps that from becoming an unhandled
 * rejection (the connection's own `error` events are logged by the bus).
 */
class PubSubRedis extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const result = super.sendCommand(command, stream);
    command.promise.catch(() => undefined);
    return result;
  }
}

export interface ReceiverBusOptions {
  redisUrl: string;
  queuePrefix: string;
  /** Shown by `CLIENT LIST`, to tell the api's and the fanout's connections apart. */
  connectionName: string;
}

/**
 * The socket.io Redis adapter's two connections (one publishes, one subscribes) and the adapter they feed. The api
 * attaches it to its gateway's server and the fanout to a server that never listens, so a broadcast with
 * acknowledgements from either reaches receivers connected to any api process (adapter ≥ 7.2 relays the acks).
 */
export class ReceiverBus {
  private readonly logger = new Logger('ReceiverBus');
  private lastError: string | undefined;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly key: string,
  ) {}

  /** Opens the connections in the background: boot does not wait for Redis, and they reconnect on their own. */
  static open(options: ReceiverBusOptions): ReceiverBus {
    const connect = (role: string) =>
      new PubSubRedis(options.redisUrl, {
        lazyConnect: true,
        // the adapter cannot handle a failed command: queue while Redis is away instead of failing
        maxRetriesPerRequest: null,
        connectTimeout: 5_000,
        disconnectTimeout: 500,
        connectionName: `${options.connectionName}:${role}`,
        enableAutoPipelining: role === 'pub',
      });
    const bus = new ReceiverBus(connect('pub'), connect('sub'), receiverAdapterKey(options.queuePrefix));
    for (const client of [bus.pub, bus.sub]) {
      client.on('error', (err: Error) => bus.onError(err));
      client.on('ready', () => {
        if (bus.lastError !== undefined) bus.logger.log('receiver bus connection restored');
        bus.lastError = undefined;
      });
      client.connect().catch((err: unknown) => bus.onError(err as Error));
    }
    return bus;
  }

  /** Makes every namespace of `io` broadcast through Redis. */
  attach(io: Server): void {
    io.adapter(createAdapter(this.pub, this.sub, { key: this.key }));
  }

  /** Both connections are up: a broadcast now reaches the other processes. */
  isUp(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /**
   * Resolves once both connections are up and the subscriptions made so far are active (commands run in order, so
   * a PING answered after them proves it), or with false after `timeoutMs`.
   */
  async whenReady(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ready = Promise.all([this.pub.ping(), this.sub.ping()]).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Unsubscribes `io`'s namespaces and hands them back to the in-memory adapter, then closes the connections. The
   * server itself may be closed later (Nest closes gateways after the modules are destroyed) without touching Redis.
   */
  async close(io: Server | undefined): Promise<void> {
    if (io) {
      for (const nsp of io._nsps.values()) {
        const closed = nsp.adapter.close();
        if (closed instanceof Promise) await closed.catch(() => undefined);
      }
      io.adapter(Adapter);
    }
    await Promise.all([this.pub, this.sub].map((client) => this.quit(client)));
  }

  private async quit(client: Redis): Promise<void> {
    if (client.status === 'ready') {
      try {
        await client.quit();
        return;
      } catch {
        // dropped while quitting: disconnect below closes what is left
      }
    }
    client.disconnect();
  }

  private onError(err: Error): void {
    // ioredis reports every reconnect attempt: log when the reason changes, not each retry
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    this.logger.warn({ err }, 'receiver bus connection error');
  }
}
